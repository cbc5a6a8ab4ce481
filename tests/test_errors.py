"""Editors' mistakes: each gets file, line, key path and what was expected,
exit code 1, no traceback, and the last good site left exactly as it was.

Each folder under fixtures/invalid/ holds the files that differ from the small
project in fixtures/valid/, and ``expected.txt``: the lines the build must
print, each the start of a line of its error output. A new mistake is a new
folder; nothing here needs editing when another case or the catalog changes.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from conftest import copy_project, run_ftsite, tree_digest

FIXTURES = Path(__file__).parent / "fixtures"
VALID = FIXTURES / "valid"
CASES = sorted(path for path in (FIXTURES / "invalid").iterdir() if path.is_dir())
ERROR_LINE = re.compile(r"^(content|data|templates)/[^:\s]+:\d+: \S")


def _overlay(case: Path, project: Path) -> None:
    """The valid project with the case's files laid over it."""
    shutil.copytree(VALID, project)
    for path in case.rglob("*"):
        if path.is_file() and path.name != "expected.txt":
            target = project / path.relative_to(case)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target)


def _expected(case: Path) -> list[str]:
    return [line for line in (case / "expected.txt").read_text(encoding="utf-8").splitlines() if line]


@pytest.fixture(scope="module")
def good_site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("good") / "site"
    result = run_ftsite("build", "--project", str(VALID), "--out", str(out))
    assert result.code == 0, result.err
    return out


def test_the_valid_project_builds_and_the_cases_are_many_and_distinct(good_site: Path):
    assert (good_site / "index.html").is_file()
    messages = [tuple(_expected(case)) for case in CASES]
    assert len(CASES) >= 35
    assert all(messages) and len(set(messages)) == len(messages)
    assert all(ERROR_LINE.match(line) for lines in messages for line in lines)


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_broken_input_is_reported_and_the_site_kept(case: Path, tmp_path: Path, good_site: Path):
    project = tmp_path / "project"
    _overlay(case, project)
    out = tmp_path / "site"
    shutil.copytree(good_site, out)
    before = tree_digest(out)

    result = run_ftsite("build", "--project", str(project), "--out", str(out))

    assert result.code == 1, result.out + result.err
    printed = [line.strip() for line in result.err.splitlines()]
    for expected in _expected(case):
        assert any(line.startswith(expected) for line in printed), f"expected {expected!r} in:\n{result.err}"
    assert "Traceback" not in result.err + result.out
    assert "(line " not in result.err  # one line number per error: the one before the message
    assert tree_digest(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [".site.lock", "project", "site"]  # no staging left behind


def test_all_errors_of_a_build_are_listed(tmp_path: Path):
    project = copy_project(tmp_path / "project")
    offers = project / "data" / "offers.yaml"
    offers.write_text(offers.read_text().replace("per_1m: 25\n", "per_1m: -1\n").replace("epochs: 3\n", "epochs: 0\n")
                      .replace("epochs: 1\n", "epochs: 0\n"))
    result = run_ftsite("build", "--project", str(project), "--out", str(tmp_path / "site"))
    assert result.code == 1
    assert result.err.count("per_1m: must be >= 0") == 2
    assert result.err.count("epochs: must be a whole number") >= 2


def test_a_misspelt_key_is_one_mistake_with_one_message(tmp_path: Path):
    project = tmp_path / "project"
    _overlay(FIXTURES / "invalid" / "misspelt-key", project)
    result = run_ftsite("build", "--project", str(project), "--out", str(tmp_path / "site"))
    assert result.code == 1
    assert "did you mean per_1m?" in result.err and "is required" not in result.err, result.err
