"""The Python the browser boots with: a trimmed stdlib and the engine, precompiled.

Pyodide's stock zip holds 600-odd modules as source, and a boot compiles the
~145 it imports, which is most of a cold start. stdlib.mjs runs the pinned
Pyodide under Node, loads the engine the way the browser's worker does,
records the stdlib modules imported, and compiles exactly those, and the
engine's own modules, with Pyodide's own CPython 3.14 (a .pyc is only good
for the Python that made it). The result is cached by what determines it:
the Pyodide release and the engine's source. Without Node, the stock zip and
a source-only wheel ship, and the build says so.
"""

from __future__ import annotations

import hashlib
import io
import json
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path

from .runtime import Runtime, cache_folder
from .wheel import lockfile

SCRIPT = Path(__file__).with_name("precompile.mjs")
BOOT = Path(__file__).parents[1] / "browser" / "boot.mjs"  # the boot sequence the script shares with the worker
# What the engine is exercised with: defaults, good text, every kind of bad text.
REQUESTS = [
    {},
    {"training.examples": "50,000", "prices.train_per_1m": "4-8", "answers.tried_prompting": "no"},
    {"training.examples": "lots", "training.offer": "<x>", "horizon.months": "-1", "prices.train_per_1m": "nan",
     "answers.goal": "?", "usage.tuned_model": "nope", "answers.knowledge_problem": "maybe"},
]


@dataclass(frozen=True)
class Compiled:
    stdlib: bytes  # the trimmed zip of .pyc files
    engine: dict  # "ftengine/__pycache__/api.cpython-314.pyc" -> bytes, for the wheel


def precompile(runtime: Runtime, wheel_name: str, wheel: bytes, catalog: dict) -> Compiled | None:
    """The trimmed stdlib and compiled engine for this Pyodide and this
    source-only engine ``wheel``, from the cache or made now; None (after
    saying why on stderr) when they cannot be made here."""
    key = hashlib.sha256(runtime.version.encode() + wheel + SCRIPT.read_bytes() + BOOT.read_bytes()).hexdigest()[:20]
    cached = cache_folder().parent / f"compiled-{runtime.version}-{key}.zip"
    if not cached.is_file():
        started = time.perf_counter()
        if shutil.which("node"):  # without it, _run_node says why nothing is precompiled
            print("ftsite: precompiling the engine and its standard library under Node (once per engine change)…",
                  file=sys.stderr, flush=True)
        data = _run_node(runtime, wheel_name, wheel, catalog)
        if data is None:
            return None
        cached.parent.mkdir(parents=True, exist_ok=True)
        temporary = cached.with_suffix(".tmp")
        temporary.write_bytes(data)
        temporary.replace(cached)
        _prune(cached)
        print(f"ftsite: precompiled in {time.perf_counter() - started:.1f} s", file=sys.stderr, flush=True)
    return _split(cached.read_bytes())


KEEP = 8  # compiled engines kept in the cache: enough for a few branches, not one per edit ever made


def _prune(newest: Path) -> None:
    """Drops all but the KEEP most recent compiled engines of this Pyodide."""
    older = sorted(newest.parent.glob(newest.name.rsplit("-", 1)[0] + "-*.zip"),
                   key=lambda path: path.stat().st_mtime, reverse=True)
    for path in older[KEEP:]:
        if path != newest:
            path.unlink(missing_ok=True)


def _run_node(runtime: Runtime, wheel_name: str, wheel: bytes, catalog: dict) -> bytes | None:
    node = shutil.which("node")
    if node is None:
        print("ftsite: node is not installed, so the browser gets Pyodide's stock standard library and an "
              "uncompiled engine (a slower first boot); install Node.js to ship them precompiled.", file=sys.stderr)
        return None
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        (folder / "wheel").mkdir()
        (folder / "wheel" / wheel_name).write_bytes(wheel)
        (folder / "lock.json").write_bytes(lockfile(runtime.lock_info, f"wheel/{wheel_name}", wheel))
        (folder / "catalog.json").write_text(json.dumps(catalog))
        (folder / "requests.json").write_text(json.dumps(REQUESTS))
        done = subprocess.run([node, str(SCRIPT), str(runtime.folder), str(folder / "lock.json"),
                               str(folder / "catalog.json"), str(folder / "requests.json"), str(folder / "out.zip")],
                              capture_output=True, text=True)
        if done.returncode != 0 or not (folder / "out.zip").is_file():
            reason = (done.stderr.strip().splitlines() or ["no output"])[-1]
            print(f"ftsite: could not precompile the standard library ({reason}); shipping Pyodide's stock one.",
                  file=sys.stderr)
            return None
        return (folder / "out.zip").read_bytes()


def _split(data: bytes) -> Compiled:
    """stdlib.mjs's one zip -> the stdlib zip (re-stored, same order) and the engine's .pyc files."""
    source = zipfile.ZipFile(io.BytesIO(data))
    engine = {}
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as stdlib:
        for info in source.infolist():
            if info.filename.startswith("ftengine/"):
                engine[info.filename] = source.read(info)
            else:
                stdlib.writestr(info, source.read(info))
    return Compiled(buffer.getvalue(), engine)
