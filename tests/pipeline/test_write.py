"""The write stage: nothing lost, nothing leaked.

An output folder is ftsite's only if ftsite made it; the swap always leaves
a complete tree; two builds at once end complete. Kills and disk-full errors
are injected with strace where it exists (CI installs it).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, missing_tool, run_ftsite, tree_digest

STRACE = shutil.which("strace")
RENAMES = "rename,renameat,renameat2"


@pytest.fixture(scope="module")
def strace():
    if STRACE is None:
        missing_tool("strace", "install Debian's strace package")
    return STRACE


def _build(project: Path, out: Path, *prefix: str, env: dict | None = None) -> subprocess.CompletedProcess:
    command = [*prefix, sys.executable, "-m", "generator", "build", "--project", str(project), "--out", str(out)]
    return subprocess.run(command, capture_output=True, text=True, timeout=300, cwd=ROOT,
                          env={**os.environ, **(env or {})})


def test_build_never_replaces_a_folder_it_did_not_make(project: Path, tmp_path: Path):
    (project / ".git").mkdir()
    (project / ".git" / "HEAD").write_text("ref: refs/heads/main\n")
    before = tree_digest(project)
    for inside in ("content", "data", "templates", ".git", "content/new"):
        result = run_ftsite("build", "--project", str(project), "--out", str(project / inside))
        assert result.code == 1, inside
        assert "Traceback" not in result.err
        assert "refusing to build into" in result.err, result.err
    assert tree_digest(project) == before

    stranger = tmp_path / "notes"
    stranger.mkdir()
    (stranger / "plan.txt").write_text("keep me")
    result = run_ftsite("build", "--project", str(project), "--out", str(stranger))
    assert result.code == 1 and "not made by ftsite" in result.err, result.err
    assert (stranger / "plan.txt").read_text() == "keep me"


def test_build_writes_into_a_new_or_empty_folder_and_its_own_output(project: Path, tmp_path: Path):
    empty = tmp_path / "empty"
    empty.mkdir()
    for out in (empty, tmp_path / "new" / "site", empty):  # the last: a folder ftsite made before
        result = run_ftsite("build", "--project", str(project), "--out", str(out))
        assert result.code == 0, result.err
        assert (out / "index.html").is_file() and (out / ".ftsite-output").is_file()
    default = run_ftsite("build", "--project", str(project))
    assert default.code == 0 and (project / "site" / "index.html").is_file(), default.err


def test_a_build_killed_at_any_rename_leaves_a_complete_site(strace, project: Path, tmp_path: Path):
    """SIGKILL at the 1st, 2nd, ... rename of a build: whichever it was, the
    output path holds the old site or the new one, whole."""
    saved = tmp_path / "old"
    assert _build(project, saved).returncode == 0
    old = tree_digest(saved)
    page = project / "content" / "costs.md"
    page.write_text(page.read_text() + "\nA sentence for the new build.\n")
    out = tmp_path / "site"
    killed = 0
    for when in range(1, 20):
        shutil.rmtree(out, ignore_errors=True)
        shutil.copytree(saved, out)
        run = _build(project, out, STRACE, "-f", "-qq", "-o", os.devnull, "-e", f"trace={RENAMES}",
                     "-e", f"inject={RENAMES}:signal=KILL:when={when}")
        assert out.is_dir(), f"no site/ after a kill at rename {when}"
        assert tree_digest(out) == old or _complete_new(out, project, tmp_path), \
            f"neither the old site nor the new after a kill at rename {when}"
        if run.returncode == 0:
            break
        killed += 1
    assert killed >= 1  # the build does rename: at least one kill landed
    assert _build(project, out).returncode == 0


def _complete_new(out: Path, project: Path, tmp_path: Path) -> bool:
    reference = tmp_path / "reference"
    if not reference.exists():
        assert _build(project, reference).returncode == 0
    return tree_digest(out) == tree_digest(reference)


def test_a_disk_full_while_writing_is_an_error_that_keeps_the_site(strace, project: Path, tmp_path: Path):
    out = tmp_path / "site"
    assert _build(project, out).returncode == 0
    before = tree_digest(out)
    # the 20th write() fails once, mid-way through the site's files, as on a full disk
    run = _build(project, out, STRACE, "-f", "-qq", "-o", os.devnull, "-e", "trace=write",
                 "-e", "inject=write:error=ENOSPC:when=20")
    assert run.returncode == 1, run.stderr[-2000:]
    assert "Traceback" not in run.stderr
    assert "No space left on device" in run.stderr, run.stderr
    assert tree_digest(out) == before
    assert not [p for p in tmp_path.iterdir() if p.name.startswith((".site.staging", ".site.retired"))]


def test_two_builds_into_one_folder_at_once_end_complete(project: Path, tmp_path: Path):
    reference = tmp_path / "reference"
    assert _build(project, reference).returncode == 0
    want = tree_digest(reference)
    out = tmp_path / "site"
    for _trial in range(6):
        command = [sys.executable, "-m", "generator", "build", "--project", str(project), "--out", str(out)]
        runs = [subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                for _ in range(2)]
        results = [(run.wait(timeout=300), run.stderr.read()) for run in runs]
        for run in runs:
            run.stdout.close()
            run.stderr.close()
        codes = sorted(code for code, _err in results)
        assert codes in ([0, 0], [0, 1]), results
        for code, err in results:
            assert "Traceback" not in err
            if code == 1:
                assert "another ftsite is writing" in err, err
        assert tree_digest(out) == want
