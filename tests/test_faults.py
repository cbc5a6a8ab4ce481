"""Nothing lost, nothing leaked: the build under faults and hostile input.

Each test is named after what it protects. Kills and disk-full errors are
injected with strace where it exists (CI installs it); the build must leave
either the last good site or the new one at the output path, whole, and
never touch a folder it did not make.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import ROOT, copy_project, run_ftsite, tree_digest

STRACE = shutil.which("strace")
RENAMES = "rename,renameat,renameat2"


@pytest.fixture(scope="module")
def strace():
    if STRACE is None:
        if os.environ.get("CI") == "true":
            pytest.fail("CI=true but strace is missing: install Debian's strace package")
        pytest.skip("no strace here (CI installs it)")
    return STRACE


def _build(project: Path, out: Path, *prefix: str, env: dict | None = None) -> subprocess.CompletedProcess:
    command = [*prefix, sys.executable, "-m", "generator", "build", "--project", str(project), "--out", str(out)]
    return subprocess.run(command, capture_output=True, text=True, timeout=300, cwd=ROOT,
                          env={**os.environ, **(env or {})})


# --- 1. an output folder is ftsite's only if ftsite made it


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


# --- 2. the swap always leaves a complete tree


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


# --- 3. two builds at once


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


# --- 4, 5. nothing from outside the project, no output claimed twice


def test_links_to_outside_the_project_are_refused(project: Path, tmp_path: Path):
    secret = tmp_path / "secret.txt"
    secret.write_text("API_KEY=hunter2")
    (project / "content" / "env.txt").symlink_to("/proc/self/environ")
    (project / "content" / "secret.txt").symlink_to(secret)
    (project / "templates" / "assets" / "leak.css").symlink_to(secret)
    (project / "data" / "more.yaml").symlink_to(secret)
    outside = tmp_path / "pages"
    outside.mkdir()
    (outside / "away.md").write_text("---\ntitle: Away\ndescription: From elsewhere.\n---\nHi.\n")
    (project / "content" / "elsewhere").symlink_to(outside)
    out = tmp_path / "site"
    result = run_ftsite("build", "--project", str(project), "--out", str(out))
    assert result.code == 1
    for name in ("content/env.txt", "content/secret.txt", "templates/assets/leak.css", "data/more.yaml",
                 "content/elsewhere"):
        assert f"{name}: is a link to outside the project" in result.err, result.err
    assert not out.exists()


def test_a_link_inside_the_project_is_followed(project: Path, tmp_path: Path):
    (project / "content" / "guide.md").symlink_to(project / "content" / "index.md")
    result = run_ftsite("build", "--project", str(project), "--out", str(tmp_path / "site"))
    assert result.code == 0, result.err
    assert (tmp_path / "site" / "guide" / "index.html").is_file()


def test_content_files_cannot_replace_generated_outputs(project: Path, tmp_path: Path):
    (project / "content" / "_headers").write_text("/*\n  X-Nothing: here\n")
    runtime = project / "content" / "pyodide" / "314.0.7"
    runtime.mkdir(parents=True)
    (runtime / "pyodide.mjs").write_text("export const loadPyodide = () => {};\n")
    (project / "content" / "sitemap.xml").write_text("<urlset/>")
    result = run_ftsite("build", "--project", str(project), "--out", str(tmp_path / "site"))
    assert result.code == 1
    for name in ("_headers", "pyodide/314.0.7/pyodide.mjs", "sitemap.xml"):
        assert f"content/{name}: would replace the {name} the build writes" in result.err, result.err


# --- 6. bounded parses and finite numbers


def test_a_scenario_nested_deep_is_an_error_not_a_crash(tmp_path: Path):
    deep = tmp_path / "deep.json"
    deep.write_text("[" * 100_000 + "]" * 100_000)
    result = run_ftsite("eval", str(deep), "--project", str(ROOT))
    assert result.code == 1 and "Traceback" not in result.err
    assert f"{deep}: nested too deeply to read" in result.err, result.err
    nested = tmp_path / "deep.yaml"
    nested.write_text("training:\n  examples: " + "[" * 600 + "]" * 600 + "\n")
    result = run_ftsite("eval", str(nested), "--project", str(ROOT))
    assert result.code == 1 and "Traceback" not in result.err
    assert f"{nested}:2: training.examples: nested more than 64 levels deep" in result.err, result.err


def test_tiny_and_huge_numbers_in_a_scenario_are_field_errors(tmp_path: Path):
    tiny = tmp_path / "tiny.yaml"
    tiny.write_text("prices:\n  baseline_input_per_1m: 1.0e-310\n")
    result = run_ftsite("eval", str(tiny), "--project", str(ROOT))
    assert result.code == 1 and "Traceback" not in result.err
    assert f"{tiny}:2: prices.baseline_input_per_1m: is too small to be a figure" in result.err, result.err
    huge = tmp_path / "huge.json"
    huge.write_text('{"usage": {"requests_per_month": 1' + "0" * 5000 + "}}")
    result = run_ftsite("eval", str(huge), "--project", str(ROOT))
    assert result.code == 1 and "Traceback" not in result.err
    assert f"{huge}:1: not valid JSON: a number of 5,001 digits is too long to read" in result.err, result.err
    long_yaml = tmp_path / "huge.yaml"
    long_yaml.write_text("usage:\n  requests_per_month: 1" + "0" * 5000 + "\n")
    result = run_ftsite("eval", str(long_yaml), "--project", str(ROOT))
    assert f"{long_yaml}:2: usage.requests_per_month: a number of 5,001 digits is too long to read" in result.err


# --- 9, 10, 11. quadratic anchors, silent truncation, sneaky ids and paths


def test_many_changelog_entries_on_one_day_build_quickly(project: Path, tmp_path: Path):
    changelog = project / "data" / "changelog.yaml"
    entries = "".join(f"  - date: 2026-11-01\n    subject: gpt-4o\n    what: Note {i}\n    note: The same day.\n"
                      "    source: https://example.com/\n" for i in range(4000))
    changelog.write_text(changelog.read_text() + entries)
    started = subprocess.run([sys.executable, "-m", "generator", "build", "--project", str(project), "--out",
                              str(tmp_path / "site")], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert started.returncode == 0, started.stderr[-2000:]
    pricing = (tmp_path / "site" / "pricing" / "index.html").read_text()
    assert 'id="change-2026-11-01-gpt-4o-4000"' in pricing
    ids = [part.split('"', 1)[0] for part in pricing.split(' id="change-')[1:]]
    assert len(ids) == len(set(ids)) >= 4000


def test_identical_changelog_entries_get_their_own_anchors(project: Path, tmp_path: Path):
    changelog = project / "data" / "changelog.yaml"
    entry = ("  - date: 2026-11-02\n    subject: gpt-4o\n    what: Twice\n    note: The same entry.\n"
             "    source: https://example.com/\n")
    changelog.write_text(changelog.read_text() + entry * 2)
    assert run_ftsite("build", "--project", str(project), "--out", str(tmp_path / "site")).code == 0
    pricing = (tmp_path / "site" / "pricing" / "index.html").read_text()
    assert pricing.count('id="change-2026-11-02-gpt-4o"') == 1 and 'id="change-2026-11-02-gpt-4o-2"' in pricing


def test_markdown_nested_past_the_limit_is_an_error(project: Path, tmp_path: Path):
    deep = "\n".join("  " * level + f"- level {level}" for level in range(30))
    (project / "content" / "deep.md").write_text(f"---\ntitle: Deep\ndescription: A deep list.\n---\n\n{deep}\n\n"
                                                 "The paragraph after it.\n")
    result = run_ftsite("build", "--project", str(project), "--out", str(tmp_path / "site"))
    assert result.code == 1, result.out
    assert "content/deep.md:" in result.err and "nested deeper than" in result.err, result.err


def test_a_base_url_that_climbs_out_is_refused(project: Path, tmp_path: Path):
    for base in ("..", "/a/../b/", "./x", "/%2e%2e/"):
        result = run_ftsite("build", "--project", str(project), "--out", str(tmp_path / "site"), "--base-url", base)
        assert result.code == 1, base
        assert "--base-url: must be a path like /guide/" in result.err, result.err


def test_text_with_control_characters_never_reaches_the_feed(project: Path, tmp_path: Path):
    changelog = project / "data" / "changelog.yaml"
    changelog.write_text(changelog.read_text().replace("    what: GPT-4o, GPT-4o mini", '    what: "GPT-4o\\u001b[31m, GPT-4o mini', 1)
                         .replace("snapshots to shut down\n", 'snapshots to shut down"\n', 1))
    result = run_ftsite("build", "--project", str(project), "--out", str(tmp_path / "site"))
    assert result.code == 1
    assert "].what: must not hold control characters" in result.err and "changelog[" in result.err, result.err
