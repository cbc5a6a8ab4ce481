"""The Python the browser boots with: a trimmed standard library of .pyc
files, the engine compiled for Pyodide's CPython, made under Node once and
reused until Pyodide, the engine or the boot sequence changes."""

from __future__ import annotations

import zipfile
from pathlib import Path

from generator.bundle import precompile
from generator.bundle.runtime import load_runtime
from generator.bundle.wheel import build_wheel, engine_sources


def test_the_shipped_stdlib_is_trimmed_uncompressed_bytecode(built_site: Path):
    stdlib = next(built_site.glob("pyodide/python_stdlib.*.zip"))
    with zipfile.ZipFile(stdlib) as archive:
        infos = archive.infolist()
    assert 100 < len(infos) < 300
    assert all(info.filename.endswith(".pyc") and info.compress_type == zipfile.ZIP_STORED for info in infos)
    wheel = next(built_site.glob("engine/*/ftengine-*.whl"))
    with zipfile.ZipFile(wheel) as archive:
        compiled = {name for name in archive.namelist() if name.endswith(".pyc")}
    assert {f"ftengine/__pycache__/{module[:-3]}.cpython-314.pyc" for module in engine_sources()} == compiled


def test_a_precompiled_engine_is_reused_until_its_inputs_change(built_site: Path, monkeypatch):
    runtime = load_runtime()
    calls = []
    monkeypatch.setattr(precompile, "_run_node", lambda *args: calls.append(args) or None)
    name, wheel = build_wheel(engine_sources())
    assert precompile.precompile(runtime, name, wheel, {}) is not None and calls == []  # the build made it
    changed_name, changed = build_wheel({**engine_sources(), "extra.py": b"X = 1\n"})
    assert precompile.precompile(runtime, changed_name, changed, {}) is None and len(calls) == 1
