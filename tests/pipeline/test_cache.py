"""Rebuilds equal full builds: random sequences of edits, applied through
``ftsite serve``'s rebuild path (``build()`` with a Cache), leave the very
tree a fresh full build of the same files writes, after every step."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import TODAY, copy_project, tree_digest
from generator.commands.serve import Rebuilds
from generator.pipeline.build import build
from generator.pipeline.cache import Cache


def _replace(path: Path, old: str, new: str) -> list[Path]:
    text = path.read_text()
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1))
    return [path]


def _edit(project: Path, kind: str, n: int) -> list[Path]:
    """One editor's change; returns the files it touched."""
    content, data, templates = project / "content", project / "data", project / "templates"
    if kind == "page text":
        page = content / "costs.md"
        page.write_text(page.read_text() + f"\nEdit number {n}.\n")
        return [page]
    if kind == "page title":
        return _replace(content / "models.md", 'title: "', f'title: "{n} ')
    if kind == "nav order":
        page = content / "pricing.md"
        text = page.read_text()
        old = next(line for line in text.splitlines() if line.startswith("order:"))
        return _replace(page, old, f"order: {n}")
    if kind == "new sub-page":
        page = content / "notes" / f"note-{n}.md"
        page.parent.mkdir(exist_ok=True)
        page.write_text(f"---\ntitle: Note {n}\ndescription: A note in a sub-folder.\n---\nNote {n}.\n")
        return [page]
    if kind == "gone sub-page":
        notes = sorted((content / "notes").glob("*.md")) if (content / "notes").is_dir() else []
        if not notes:
            return []
        notes[0].unlink()
        return [notes[0]]
    if kind == "price":
        gpus = data / "gpus.yaml"
        text = gpus.read_text()
        old = next(line for line in text.splitlines() if line.startswith("    per_hour: 2.69") or
                   line.startswith("    per_hour: 2.6"))
        return _replace(gpus, old, f"    per_hour: 2.6{n % 10}")
    if kind == "site title":
        return _replace(data / "site.yaml", "  title: ", f"  title: {n} ")
    if kind == "site url":
        site = data / "site.yaml"
        old = next(line for line in site.read_text().splitlines() if line.startswith("  url: "))
        return _replace(site, old, f"  url: https://example-{n}.org/guide/")
    if kind == "scenario":
        scenario = data / "scenario.yaml"
        old = next(line for line in scenario.read_text().splitlines() if "requests_per_month:" in line)
        return _replace(scenario, old, f"    requests_per_month: {100_000 + n}")
    if kind == "template":
        page = templates / "page.html"
        page.write_text(page.read_text() + f"{{# edit {n} #}}\n<!-- {n} -->\n")
        return [page]
    if kind == "asset":
        css = templates / "assets" / "site.css"
        css.write_text(css.read_text() + f"\n/* edit {n} */\n")
        return [css]
    raise AssertionError(kind)


KINDS = ["page text", "page title", "nav order", "new sub-page", "gone sub-page", "price", "site title",
         "site url", "scenario", "template", "asset"]


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(steps=st.lists(st.tuples(st.sampled_from(KINDS), st.integers(1, 99)), min_size=2, max_size=5))
def test_rebuilds_leave_the_tree_a_full_build_writes(steps):
    with tempfile.TemporaryDirectory() as scratch:
        project = copy_project(Path(scratch) / "project")
        out, fresh = Path(scratch) / "site", Path(scratch) / "fresh"
        serve = Rebuilds(project, out, TODAY, None)
        serve.run(None)
        for kind, n in steps:
            changed = _edit(project, kind, n)
            if changed:
                serve.run(changed)
            build(project, fresh, TODAY, cache=Cache(engine=serve.cache.engine))  # a fresh, full build
            assert tree_digest(out) == tree_digest(fresh), (kind, n)
