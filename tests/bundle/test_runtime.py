"""Pyodide as a dependency: pinned, hash-checked, cached, never committed."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, run_ftsite
from generator.bundle import runtime


def test_a_build_without_npm_or_a_copy_says_what_to_do(tmp_path: Path):
    bare = tmp_path / "bin"
    bare.mkdir()
    (bare / "python3").symlink_to(Path(sys.executable))
    result = run_ftsite("build", "--project", str(ROOT), "--out", str(tmp_path / "site"),
                        env={"PATH": str(bare), "XDG_CACHE_HOME": str(tmp_path / "cache"), "FTSITE_PYODIDE_DIR": ""})
    assert result.code == 1
    assert "npm client is not installed" in result.err and "--pyodide-dir" in result.err
    assert "Traceback" not in result.err
    assert not (tmp_path / "site").exists()


def test_a_tampered_copy_is_refused_by_name(tmp_path: Path):
    copy = tmp_path / "pyodide"
    shutil.copytree(runtime.load_runtime().folder, copy)
    (copy / "pyodide.asm.wasm").write_bytes(b"\0asm tampered")
    result = run_ftsite("build", "--project", str(ROOT), "--out", str(tmp_path / "site"),
                        "--pyodide-dir", str(copy))
    assert result.code == 1
    assert "pyodide.asm.wasm does not match its pinned SHA-256" in result.err
    env_result = run_ftsite("build", "--project", str(ROOT), "--out", str(tmp_path / "site"),
                            env={"FTSITE_PYODIDE_DIR": str(copy)})
    assert env_result.code == 1 and "pyodide.asm.wasm does not match" in env_result.err


def test_an_unpacked_npm_package_is_accepted_offline(tmp_path: Path):
    copy = tmp_path / "unpacked" / "package"
    shutil.copytree(runtime.load_runtime().folder, copy)
    result = run_ftsite("build", "--project", str(ROOT), "--out", str(tmp_path / "site"),
                        "--pyodide-dir", str(tmp_path / "unpacked"),
                        env={"PATH": "/nonexistent", "XDG_CACHE_HOME": str(tmp_path / "empty-cache")})
    assert result.code == 0, result.err
    assert (tmp_path / "site" / "pyodide" / runtime.VERSION / "pyodide.asm.wasm").is_file()


@pytest.mark.skipif(shutil.which("npm") is None, reason="npm is not installed")
def test_an_empty_cache_is_filled_with_npm_and_checked(tmp_path: Path):
    cache = tmp_path / "cache"
    result = run_ftsite("build", "--project", str(ROOT), "--out", str(tmp_path / "site"),
                        env={"XDG_CACHE_HOME": str(cache), "FTSITE_PYODIDE_DIR": ""})
    assert result.code == 0, result.err
    folder = cache / "ftsite" / f"pyodide-{runtime.VERSION}"
    assert sorted(p.name for p in folder.iterdir()) == sorted(runtime.FILES)
    assert runtime.mismatches(folder) == []
    said = [line for line in result.err.splitlines() if line.startswith("ftsite: ")]  # no silent pause
    assert [line.split(" ")[1] for line in said] == ["fetching", "Pyodide", "precompiling", "precompiled"], said
    assert f"fetching Pyodide {runtime.VERSION} with npm" in said[0] and "fetched and its hashes checked in" in said[1]


def test_only_what_a_boot_needs_is_published(built_site: Path):
    shipped = sorted(p.name for p in (built_site / "pyodide").rglob("*") if p.is_file())
    assert not any(name.endswith((".map", ".d.ts", ".html")) or name == "pyodide.js" for name in shipped)
    assert "sourceMappingURL" not in (built_site / "pyodide" / runtime.VERSION / "pyodide.mjs").read_text()


def test_nothing_of_pyodide_is_committed():
    tracked = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True).stdout.split()
    assert not [path for path in tracked if "pyodide" in path and path != "generator/bundle/pyodide.json"
                and not path.startswith("tests/")]
    assert not [path for path in tracked if path.endswith((".wasm", ".whl", ".tgz"))]
