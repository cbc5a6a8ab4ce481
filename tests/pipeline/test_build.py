"""build(): the stages in order, into a folder, reporting what it did; the
base URL it is given is a path under the site, never one that climbs out."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import ROOT, TODAY, run_ftsite
from generator.errors import BuildError
from generator.pipeline.build import build, normalize_base_url


def test_a_full_build_reports_its_pages_files_and_default_result(tmp_path: Path):
    out = tmp_path / "site"
    report = build(ROOT, out, TODAY)
    rendered = [*out.rglob("*.html"), *(out / name for name in ("feed.xml", "robots.txt", "sitemap.xml"))]
    assert all(path.is_file() for path in rendered)
    assert report.pages == report.rendered == len(rendered) > 30
    assert report.files == sum(1 for path in out.rglob("*") if path.is_file() and path.name != ".ftsite-output")
    assert report.result["recommendation"]["id"] == "rag" and report.data.catalog.build_date == TODAY


@pytest.mark.parametrize("given, base", [("/", "/"), ("", "/"), ("guide", "/guide/"), ("/guide/", "/guide/"),
                                         ("/a/b", "/a/b/")])
def test_a_base_url_is_one_path_under_the_site(given: str, base: str):
    assert normalize_base_url(given) == base


def test_a_base_url_that_climbs_out_is_refused(project: Path, tmp_path: Path):
    for base in ("..", "/a/../b/", "./x", "/%2e%2e/"):
        result = run_ftsite("build", "--project", str(project), "--out", str(tmp_path / "site"), "--base-url", base)
        assert result.code == 1, base
        assert "--base-url: must be a path like /guide/" in result.err, result.err
    with pytest.raises(BuildError):
        normalize_base_url("/a/../b/")
