"""BUNDLE: the files a page loads, under content-hashed names.

A hashed name changes whenever the bytes do, so hosts can cache these files
forever and a new build can never be served with an old stylesheet.
"""

from __future__ import annotations

import hashlib
import posixpath
from dataclasses import dataclass


@dataclass(frozen=True)
class Bundle:
    names: dict  # logical name ("assets/site.css") -> output path ("assets/site.1a2b3c4d.css")
    files: tuple  # of (output path, bytes), sorted by path


def content_name(path: str, data: bytes) -> str:
    """assets/site.css -> assets/site.<first 10 hex of sha256>.css"""
    stem, ext = posixpath.splitext(path)
    return f"{stem}.{hashlib.sha256(data).hexdigest()[:10]}{ext}"


def make_bundle(files: dict[str, bytes]) -> Bundle:
    """Assets get hashed names; other files (content images) keep theirs."""
    names, out = {}, []
    for path in sorted(files):
        target = content_name(path, files[path]) if path.startswith("assets/") else path
        names[path] = target
        out.append((target, files[path]))
    return Bundle(names, tuple(sorted(out)))
