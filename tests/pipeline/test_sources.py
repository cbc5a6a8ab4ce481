"""The load stage reads only the project: links to outside it are refused by
name, links inside it are followed."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import copy_project, run_ftsite
from generator.errors import BuildError
from generator.pipeline.sources import page_text, read_sources


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


def test_a_page_removed_while_the_site_builds_is_an_error_by_name(tmp_path: Path):
    project = copy_project(tmp_path / "project")
    sources = read_sources(project)
    (project / "content" / "costs.md").unlink()
    with pytest.raises(BuildError) as raised:
        page_text(sources, "content/costs.md")
    assert [str(error) for error in raised.value.errors] == ["content/costs.md: was removed while the site was building"]
