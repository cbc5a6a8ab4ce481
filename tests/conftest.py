"""Shared fixtures: a scratch copy of the real project, and ftsite run for real.

Tests build into temporary folders and run the ``ftsite`` command in a
subprocess, so they see exactly what an editor sees: output files, messages
on stderr and exit codes.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PROJECT_FOLDERS = ("content", "data", "templates")


@dataclass
class Run:
    code: int
    out: str
    err: str


def run_ftsite(*args: str, cwd: Path | None = None, stdin: str | None = None, env: dict | None = None) -> Run:
    """``python -m generator ARGS`` in a subprocess."""
    done = subprocess.run([sys.executable, "-m", "generator", *args], cwd=cwd or ROOT, input=stdin,
                          capture_output=True, text=True, timeout=300, env={**os.environ, **(env or {})})
    return Run(done.returncode, done.stdout, done.stderr)


def copy_project(target: Path) -> Path:
    """The real content, data and templates, copied into ``target``."""
    target.mkdir(parents=True, exist_ok=True)
    for name in PROJECT_FOLDERS:
        shutil.copytree(ROOT / name, target / name)
    return target


def tree_digest(folder: Path) -> dict[str, str]:
    """relative path -> sha256 of every file under ``folder``."""
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return copy_project(tmp_path / "project")


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    """The real project built once, at the root base URL, for read-only checks."""
    out = tmp_path_factory.mktemp("built") / "site"
    result = run_ftsite("build", "--project", str(ROOT), "--out", str(out))
    assert result.code == 0, result.err
    return out
