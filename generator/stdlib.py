"""The standard library the browser boots with: trimmed and precompiled.

Pyodide's stock zip holds 600-odd modules as source, and a boot compiles the
~145 it imports, which is most of a cold start. stdlib.mjs runs the pinned
Pyodide under Node, loads the engine the way the browser's worker does,
records the stdlib modules imported, and compiles exactly those with
Pyodide's own CPython 3.14 (a .pyc is only good for the Python that made it).
The result is cached by what determines it: the Pyodide release and the
engine wheel. Without Node, the stock zip ships and the build says so.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from .runtime import Runtime, cache_folder

SCRIPT = Path(__file__).with_name("stdlib.mjs")
# What the engine is exercised with: defaults, good text, every kind of bad text.
REQUESTS = [
    {},
    {"training.examples": "50,000", "prices.train_per_1m": "4-8", "answers.tried_prompting": "no"},
    {"training.examples": "lots", "training.offer": "<x>", "horizon.months": "-1", "prices.train_per_1m": "nan",
     "answers.goal": "?", "usage.tuned_model": "nope", "answers.knowledge_problem": "maybe"},
]


def trimmed_stdlib(runtime: Runtime, lock_name: str, lock: bytes, wheel_path: str, wheel: bytes,
                   catalog: dict) -> bytes | None:
    """The trimmed .pyc zip for this Pyodide and engine, from the cache or made
    now; None (after saying why on stderr) when it cannot be made here."""
    key = hashlib.sha256(runtime.version.encode() + wheel + SCRIPT.read_bytes()).hexdigest()[:20]
    cached = cache_folder().parent / f"stdlib-{runtime.version}-{key}.zip"
    if cached.is_file():
        return cached.read_bytes()
    node = shutil.which("node")
    if node is None:
        print("ftsite: node is not installed, so the browser gets Pyodide's stock standard library "
              "(a slower first boot); install Node.js to ship the trimmed, precompiled one.", file=sys.stderr)
        return None
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        (folder / wheel_path).parent.mkdir(parents=True)
        (folder / wheel_path).write_bytes(wheel)
        (folder / lock_name).write_bytes(lock)
        (folder / "catalog.json").write_text(json.dumps(catalog))
        (folder / "requests.json").write_text(json.dumps(REQUESTS))
        done = subprocess.run([node, str(SCRIPT), str(runtime.folder), str(folder / lock_name),
                               str(folder / "catalog.json"), str(folder / "requests.json"), str(folder / "out.zip")],
                              capture_output=True, text=True)
        if done.returncode != 0 or not (folder / "out.zip").is_file():
            reason = (done.stderr.strip().splitlines() or ["no output"])[-1]
            print(f"ftsite: could not trim the standard library ({reason}); shipping Pyodide's stock one.",
                  file=sys.stderr)
            return None
        data = (folder / "out.zip").read_bytes()
    cached.parent.mkdir(parents=True, exist_ok=True)
    temporary = cached.with_suffix(".tmp")
    temporary.write_bytes(data)
    temporary.replace(cached)
    return data
