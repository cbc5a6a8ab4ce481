"""The engine as a wheel Pyodide installs: pure, reproducible, its RECORD
true to its files, and a lockfile that names it alone by its sha256."""

from __future__ import annotations

import base64
import hashlib
import io
import json
import zipfile

from generator.bundle.wheel import build_wheel, engine_sources, lockfile


def _files(wheel: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(wheel)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def test_the_wheel_is_pure_reproducible_and_its_record_is_true():
    sources = engine_sources()
    name, wheel = build_wheel(sources, {"ftengine/__pycache__/api.cpython-314.pyc": b"\x00code"}, version="1.2.3")
    assert name == "ftengine-1.2.3-py3-none-any.whl"
    assert build_wheel(sources, {"ftengine/__pycache__/api.cpython-314.pyc": b"\x00code"}, version="1.2.3")[1] == wheel
    files = _files(wheel)
    assert {f"ftengine/{module}" for module in sources} | {"ftengine/__pycache__/api.cpython-314.pyc"} \
        == {path for path in files if path.startswith("ftengine/")}
    assert "Tag: py3-none-any" in files["ftengine-1.2.3.dist-info/WHEEL"].decode()
    record = files["ftengine-1.2.3.dist-info/RECORD"].decode().splitlines()
    assert record[-1] == "ftengine-1.2.3.dist-info/RECORD,,"
    for line in record[:-1]:
        path, digest, size = line.split(",")
        data = files[path]
        assert digest == "sha256=" + base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
        assert int(size) == len(data)
    assert len(record) == len(files)


def test_the_lockfile_names_only_the_engine_by_its_sha256():
    name, wheel = build_wheel(engine_sources())
    lock = json.loads(lockfile({"version": "0.29", "arch": "wasm32"}, f"abc/{name}", wheel))
    assert list(lock["packages"]) == ["ftengine"]
    entry = lock["packages"]["ftengine"]
    assert entry["file_name"] == f"abc/{name}" and entry["depends"] == []
    assert entry["sha256"] == hashlib.sha256(wheel).hexdigest()
