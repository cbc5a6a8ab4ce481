"""Editors' mistakes: each gets file, line, key path and what was expected,
exit code 1, no traceback, and the last good site left exactly as it was."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from conftest import ROOT, copy_project, run_ftsite, tree_digest

CASES = yaml.safe_load((Path(__file__).parent / "cases" / "broken_inputs.yaml").read_text())


def _apply(project: Path, case: dict) -> int:
    """Edits the project as the case says; returns the line {line} stands for."""
    path = project / case["file"]
    put = case.get("put", "")
    put = put.replace("{digits}", "1" * case.get("digits", 0))
    put = put.replace("{nest}", "[" * case.get("nest", 0) + "]" * case.get("nest", 0))
    if "find" in case:
        text = path.read_text()
        assert case["find"] in text, f"case {case['name']!r}: {case['find']!r} not in {case['file']}"
        start = text.index(case["find"])
        text = text[:start] + put + text[start + len(case["find"]):]
        line = text[:start].count("\n") + 1
    else:
        text = put
        line = 1
    path.write_text(text)
    if "at" in case:
        line = text[: text.index(case["at"])].count("\n") + 1
    return line


@pytest.fixture(scope="module")
def good_site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("good") / "site"
    assert run_ftsite("build", "--project", str(ROOT), "--out", str(out)).code == 0
    return out


def test_there_are_enough_distinct_cases():
    assert len({case["name"] for case in CASES}) == len(CASES) >= 15


@pytest.mark.parametrize("case", CASES, ids=[case["name"] for case in CASES])
def test_broken_input_is_reported_and_the_site_kept(case: dict, tmp_path: Path, good_site: Path):
    project = copy_project(tmp_path / "project")
    out = tmp_path / "site"
    shutil.copytree(good_site, out)
    before = tree_digest(out)
    line = _apply(project, case)

    result = run_ftsite("build", "--project", str(project), "--out", str(out))

    expected = case["expect"].replace("{line}", str(line))
    assert result.code == 1, result.out + result.err
    assert expected in result.err, f"expected {expected!r} in:\n{result.err}"
    assert "Traceback" not in result.err + result.out
    assert tree_digest(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [".site.lock", "project", "site"]  # no staging left behind


def test_all_errors_of_a_build_are_listed(project: Path, tmp_path: Path):
    offers = project / "data" / "offers.yaml"
    offers.write_text(offers.read_text().replace("per_1m: 25\n", "per_1m: -1\n").replace("epochs: 3\n", "epochs: 0\n")
                      .replace("epochs: 1\n", "epochs: 0\n"))
    result = run_ftsite("build", "--project", str(project), "--out", str(tmp_path / "site"))
    assert result.code == 1
    assert result.err.count("per_1m: must be >= 0") == 2
    assert result.err.count("epochs: must be a whole number") >= 2
