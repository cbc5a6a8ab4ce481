"""WRITE: build into a temporary folder beside the output, then swap it in.

Until the swap, the last good site stays exactly as it was: a build that
fails half-way, or is interrupted, leaves only a temporary folder behind,
which the next build clears.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path, PurePosixPath
from typing import Iterable

from .errors import BuildError, SourceError


def check_target(out: Path, root: Path) -> None:
    """Refuse an output folder whose replacement would delete the project."""
    out, root = out.resolve(), root.resolve()
    if out == root or out in root.parents or (out / "pyproject.toml").exists() or (out / "content").is_dir():
        raise BuildError([SourceError(str(out), None, "refusing to build here: the output folder is replaced "
                                                      "whole, and this one holds a project")])


def write_site(outputs: Iterable[tuple[str, bytes]], out: Path) -> int:
    """Writes every (relative path, bytes) into a fresh tree, then swaps it in
    for ``out``; returns the number of files. No path may be written twice."""
    out = out.resolve()
    staging = out.with_name(f".{out.name}.staging")
    retired = out.with_name(f".{out.name}.retired")
    for leftover in (staging, retired):
        shutil.rmtree(leftover, ignore_errors=True)
    staging.mkdir(parents=True)
    written: set[str] = set()
    try:
        for path, data in outputs:
            _write(staging, path, data, written)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    if out.exists():
        os.replace(out, retired)
    os.replace(staging, out)
    shutil.rmtree(retired, ignore_errors=True)
    return len(written)


def _write(folder: Path, path: str, data: bytes, written: set[str]) -> None:
    parts = PurePosixPath(path).parts
    if not parts or path.startswith("/") or ".." in parts:
        raise BuildError([SourceError(path, None, "output path escapes the output folder")])
    if path in written:
        raise BuildError([SourceError(path, None, "two outputs claim this path")])
    written.add(path)
    target = folder.joinpath(*parts)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)
