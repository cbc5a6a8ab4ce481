"""The engine as a ``py3-none-any`` wheel, and the lockfile Pyodide loads it by.

generator/engine/ becomes the top-level package ``ftengine`` (its imports are
all relative, so the files ship unchanged). The wheel is written with fixed
timestamps and sorted entries, so the same engine gives the same bytes and
the same content hash. The lockfile holds only this package: Pyodide then
never looks for anything else, and nothing is fetched from anywhere but the
site. A pure-Python wheel needs no pyodide-build (which wants Python 3.12+
and a network download even for pure-Python packages).
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import zipfile
from pathlib import Path

from .. import __version__

NAME = "ftengine"
ENGINE = Path(__file__).parents[1] / "engine"
EPOCH = (1980, 1, 1, 0, 0, 0)


def engine_sources(folder: Path = ENGINE) -> dict[str, bytes]:
    """The engine's modules by file name, read once."""
    return {p.name: p.read_bytes() for p in sorted(folder.glob("*.py"))}


def build_wheel(sources: dict[str, bytes], compiled: dict[str, bytes] | None = None,
                version: str = __version__) -> tuple[str, bytes]:
    """(wheel file name, bytes) for the engine modules ``sources``, with
    ``compiled`` bytecode ("ftengine/__pycache__/...pyc") where it was made."""
    dist_info = f"{NAME}-{version}.dist-info"
    files = {f"{NAME}/{name}": data for name, data in sorted(sources.items())}
    files.update(sorted((compiled or {}).items()))
    files[f"{dist_info}/METADATA"] = (
        f"Metadata-Version: 2.1\nName: {NAME}\nVersion: {version}\n"
        "Summary: The ftsite decision and cost engine, for Pyodide\n").encode()
    files[f"{dist_info}/WHEEL"] = b"Wheel-Version: 1.0\nGenerator: ftsite\nRoot-Is-Purelib: true\nTag: py3-none-any\n"
    files[f"{dist_info}/top_level.txt"] = f"{NAME}\n".encode()
    record = "".join(f"{path},sha256={_digest(data)},{len(data)}\n" for path, data in files.items())
    files[f"{dist_info}/RECORD"] = (record + f"{dist_info}/RECORD,,\n").encode()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for path, data in files.items():
            info = zipfile.ZipInfo(path, date_time=EPOCH)
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data, compresslevel=9)
    return f"{NAME}-{version}-py3-none-any.whl", buffer.getvalue()


def _digest(data: bytes) -> str:
    return base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()


def lockfile(info: dict, file_name: str, wheel: bytes, version: str = __version__) -> bytes:
    """A pyodide-lock.json listing only the engine wheel (``file_name`` is
    resolved against the lockfile's own URL)."""
    package = {
        "name": NAME,
        "version": version,
        "file_name": file_name,
        "install_dir": "site",
        "sha256": hashlib.sha256(wheel).hexdigest(),
        "package_type": "package",
        "imports": [NAME],
        "depends": [],
        "unvendored_tests": False,
        "shared_library": False,
    }
    return json.dumps({"info": info, "packages": {NAME: package}}, indent=1, sort_keys=True).encode() + b"\n"
