"""BUNDLE: every file a page loads, under names that change with the bytes.

Stylesheets, scripts, the catalog and the lockfile get content-hashed names;
the engine wheel sits in a folder named by its hash (Pyodide wants the wheel's
own file name); Pyodide's files sit in a folder named by its pinned version.
Every one of these URLs can be cached forever, and a new build can never be
served with an old script.
"""

from __future__ import annotations

import hashlib
import json
import posixpath
import re
from dataclasses import dataclass
from pathlib import Path

from ..errors import SourceError, fail_if
from .policy import PRICES, generated, headers_file
from .prices import SCHEMA_NAME, prices_json, schema_json
from .runtime import Runtime
from .precompile import precompile
from .wheel import build_wheel, engine_sources, lockfile

BROWSER = Path(__file__).parents[1] / "browser"
PYODIDE_FILES = ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm")
SOURCE_MAP = re.compile(rb"\n//# sourceMappingURL=\S+\s*$")


@dataclass(frozen=True)
class Bundle:
    names: dict  # logical name ("assets/site.css") -> output path ("assets/site.1a2b3c4d5e.css")
    files: tuple  # of (output path, bytes), sorted by path


def content_name(path: str, data: bytes) -> str:
    """assets/site.css -> assets/site.<first 10 hex of sha256>.css"""
    stem, ext = posixpath.splitext(path)
    return f"{stem}.{_hash(data)}{ext}"


def _hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:10]


def make_bundle(files: dict[str, bytes], catalog: dict, engine: Bundle, base_url: str, catalog_date: str,
                record: dict[str, bytes] | None = None) -> Bundle:
    """Template assets and content files, the browser scripts, the catalog,
    its prices as published data, the default scenario's decision ``record``
    and the hosts' ``_headers``, joined to the ``engine_bundle`` (made once:
    it changes only with the code)."""
    out: dict[str, bytes] = dict(engine.files)
    names: dict[str, str] = dict(engine.names)
    out["_headers"] = headers_file(base_url)
    out[PRICES] = prices_json(catalog, catalog_date)
    out[SCHEMA_NAME] = schema_json()
    names[PRICES], names[SCHEMA_NAME] = PRICES, SCHEMA_NAME
    for name, data in (record or {}).items():
        names[name], out[name] = name, data

    def hashed(name: str, data: bytes) -> None:
        names[name] = content_name(name, data)
        out[names[name]] = data

    for script in sorted([*BROWSER.glob("*.js"), *BROWSER.glob("*.mjs")]):
        hashed(f"assets/{script.name}", script.read_bytes())
    hashed("assets/catalog.json", catalog_json(catalog))
    errors = []
    for path in sorted(files):
        if path.startswith("assets/"):
            if path in names:
                errors.append(SourceError(f"templates/{path}", None, f"would replace the {path} the build writes"))
            hashed(path, files[path])
        elif path in out or generated(path):
            errors.append(SourceError(f"content/{path}", None, f"would replace the {path} the build writes"))
        else:
            names[path] = path
            out[path] = files[path]
    fail_if(errors)
    return Bundle(names, tuple(sorted(out.items())))


def catalog_json(catalog: dict) -> bytes:
    """The catalog as the browser's engine reads it: plain JSON, keys sorted."""
    return json.dumps(catalog, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def engine_bundle(runtime: Runtime, catalog: dict) -> Bundle:
    """The engine wheel, its lockfile and what of Pyodide a boot needs, with the
    stdlib trimmed and everything precompiled where that can be done here
    (``catalog`` only exercises the engine while its imports are recorded)."""
    sources = engine_sources()
    compiled = precompile(runtime, *build_wheel(sources), catalog)
    wheel_name, wheel = build_wheel(sources, compiled.engine if compiled else None)
    wheel_path = f"engine/{_hash(wheel)}/{wheel_name}"
    lock = lockfile(runtime.lock_info, wheel_path.split("/", 1)[1], wheel)
    stdlib = compiled.stdlib if compiled else runtime.read("python_stdlib.zip")
    folder = f"pyodide/{runtime.version}/"
    names = {"engine/wheel": wheel_path, "engine/pyodide-lock.json": content_name("engine/pyodide-lock.json", lock),
             "pyodide/": folder, "pyodide/python_stdlib.zip": content_name("pyodide/python_stdlib.zip", stdlib)}
    files = {wheel_path: wheel, names["engine/pyodide-lock.json"]: lock, names["pyodide/python_stdlib.zip"]: stdlib}
    for name in PYODIDE_FILES:
        data = runtime.read(name)
        files[folder + name] = SOURCE_MAP.sub(b"\n", data) if name.endswith(".mjs") else data
    return Bundle(names, tuple(sorted(files.items())))
