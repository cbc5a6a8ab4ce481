"""Pyodide, the browser's Python: a pinned release, hash-checked, cached.

The release is fetched once with the npm client (``npm pack``, so the registry
is whatever npm is configured to use), checked file by file against the
SHA-256 hashes in pyodide.json, and kept in the user's cache folder. An
offline machine points ``--pyodide-dir`` or ``FTSITE_PYODIDE_DIR`` at a copy.
Nothing of Pyodide is committed to the repository.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from ..errors import BuildError, SourceError

PIN = json.loads((Path(__file__).parent / "pyodide.json").read_text())
VERSION: str = PIN["version"]
FILES: dict[str, str] = PIN["files"]  # file name -> sha256


@dataclass(frozen=True)
class Runtime:
    version: str
    folder: Path  # where the checked files are

    def read(self, name: str) -> bytes:
        return (self.folder / name).read_bytes()

    @property
    def lock_info(self) -> dict:
        return json.loads(self.read("pyodide-lock.json"))["info"]


def cache_folder() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "ftsite" / f"pyodide-{VERSION}"


def load_runtime(folder: Path | None = None) -> Runtime:
    """The pinned Pyodide from ``folder``, FTSITE_PYODIDE_DIR or the cache,
    fetched into the cache with npm when absent; raises BuildError."""
    explicit = folder or (Path(os.environ["FTSITE_PYODIDE_DIR"]) if os.environ.get("FTSITE_PYODIDE_DIR") else None)
    if explicit is not None:
        explicit = _package_folder(explicit)
        problems = mismatches(explicit)
        if problems:
            raise BuildError([SourceError(str(explicit), None, f"not a copy of Pyodide {VERSION}: {p}") for p in problems])
        return Runtime(VERSION, explicit)
    cached = cache_folder()
    if not mismatches(cached):
        return Runtime(VERSION, cached)
    _fetch_into(cached)
    return Runtime(VERSION, cached)


def _package_folder(folder: Path) -> Path:
    """Accepts the folder holding the files, or an unpacked npm tarball's root."""
    return folder / "package" if (folder / "package" / "pyodide.mjs").is_file() else folder


def mismatches(folder: Path) -> list[str]:
    """What is missing or altered in ``folder``, against the pinned hashes."""
    found = []
    for name, expected in FILES.items():
        path = folder / name
        if not path.is_file():
            found.append(f"{name} is missing")
        elif hashlib.sha256(path.read_bytes()).hexdigest() != expected:
            found.append(f"{name} does not match its pinned SHA-256")
    return found


def _fetch_into(target: Path) -> None:
    npm = shutil.which("npm")
    if npm is None:
        raise BuildError([SourceError(f"Pyodide {VERSION}", None, _how_to_get_it(
            f"it is not in the cache ({target}) and the npm client is not installed"))])
    target.parent.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    print(f"ftsite: fetching Pyodide {VERSION} with npm into {target} (once; about 13 MB)…", file=sys.stderr, flush=True)
    with tempfile.TemporaryDirectory(dir=target.parent) as scratch:
        # --prefer-offline: npm's own cache answers when it has the package, so
        # a machine that fetched it once builds offline
        done = subprocess.run([npm, "pack", f"pyodide@{VERSION}", "--pack-destination", scratch, "--silent",
                               "--prefer-offline"],
                              capture_output=True, text=True, cwd=scratch)
        tarballs = sorted(Path(scratch).glob("pyodide-*.tgz"))
        if done.returncode != 0 or not tarballs:
            reason = (done.stderr or done.stdout).strip().splitlines()[-1:] or ["no tarball"]
            raise BuildError([SourceError(f"Pyodide {VERSION}", None, _how_to_get_it(
                f"`npm pack pyodide@{VERSION}` failed: {reason[0]}"))])
        unpacked = Path(scratch) / "unpacked"
        _extract(tarballs[0], unpacked)
        problems = mismatches(unpacked)
        if problems:
            raise BuildError([SourceError(f"Pyodide {VERSION}", None,
                                          f"the package npm returned fails its pinned hashes: {p}") for p in problems])
        shutil.rmtree(target, ignore_errors=True)
        os.replace(unpacked, target)
    print(f"ftsite: Pyodide {VERSION} fetched and its hashes checked in {time.perf_counter() - started:.1f} s",
          file=sys.stderr, flush=True)


def _extract(tarball: Path, folder: Path) -> None:
    """Only the pinned files, by name: nothing else of the archive is trusted."""
    folder.mkdir()
    with tarfile.open(tarball) as archive:
        for name in FILES:
            member = archive.getmember(f"package/{name}")
            source = archive.extractfile(member)
            (folder / name).write_bytes(source.read())


def _how_to_get_it(reason: str) -> str:
    return (f"cannot get Pyodide {VERSION}: {reason}. Either install Node.js with npm and build again "
            f"(ftsite runs `npm pack pyodide@{VERSION}` once and caches it), or unpack that npm package "
            "elsewhere and pass its folder with --pyodide-dir DIR or FTSITE_PYODIDE_DIR=DIR.")
