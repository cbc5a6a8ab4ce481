"""Rebuilds equal full builds: random sequences of edits, applied through
``ftsite serve``'s rebuild path (``build()`` with a Cache), leave the very
tree a fresh full build of the same files writes, after every step."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from conftest import TODAY, copy_project, tree_digest
from generator.commands.serve import Rebuilds
from generator.errors import BuildError
from generator.pipeline.build import build


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
    if kind == "404 page":
        page = content / "404.md"
        page.write_text(page.read_text() + f"\nStill lost ({n}).\n")
        return [page]
    if kind == "changelog entry":
        return _replace(data / "changelog.yaml", "changelog:\n", f"changelog:\n  - date: 2026-11-{n % 20 + 10}\n"
                        f"    subject: gpt-4o\n    what: Change {n}\n    note: A test entry.\n"
                        f"    source: https://example.com/{n}\n")
    if kind == "model summary":
        return _replace(data / "models.yaml", "    summary: >-\n", f"    summary: >-\n      Edit {n}.\n")
    if kind == "offer price":
        offers = data / "offers.yaml"
        old = next(line for line in offers.read_text().splitlines() if line.startswith("      per_1m: "))
        return _replace(offers, old, f"      per_1m: {20 + n}")
    if kind == "provider name":
        return _replace(data / "providers.yaml", "    name: Anthropic", f"    name: Anthropic {n}")
    if kind == "embedding price":
        rag = data / "rag.yaml"
        old = next(line for line in rag.read_text().splitlines() if line.startswith("    per_1m: "))
        return _replace(rag, old, f"    per_1m: 0.0{n % 9 + 1}")
    if kind == "recommendation":
        return _replace(data / "recommendations.yaml", "    summary: >-\n", f"    summary: >-\n      Edit {n}.\n")
    if kind == "figure template":
        figure = templates / "figures" / "availability.html"
        figure.write_text(figure.read_text() + f"<!-- {n} -->\n")
        return [figure]
    if kind == "macro":
        macros = templates / "_macros.html"
        macros.write_text(macros.read_text() + f"{{% macro edit_{n}() %}}{n}{{% endmacro %}}\n")
        return [macros]
    if kind == "base template":
        return _replace(templates / "base.html", "</footer>", f"<!-- {n} --></footer>")
    if kind == "new partial":  # a template that did not exist, included from a list of names
        partial, page = templates / "_extra.html", templates / "page.html"
        partial.write_text(f"<p>Extra {n}</p>\n")
        if "_extra.html" in page.read_text():
            return [partial]
        return [partial, *_replace(page, "{{ body }}", '{{ body }}{% include ["_extra.html"] %}')]
    raise AssertionError(kind)


KINDS = ["page text", "page title", "nav order", "new sub-page", "gone sub-page", "price", "site title",
         "site url", "scenario", "template", "asset", "404 page", "changelog entry", "model summary",
         "offer price", "provider name", "embedding price", "recommendation", "figure template", "macro",
         "base template", "new partial", "broken, then fixed"]


@example(steps=[*((kind, n) for n, kind in enumerate(KINDS, 1)), ("new partial", 99)])  # every kind, every run
# Each step is two full builds: four random runs, beside the one that takes every kind, keep it under half a minute
@settings(max_examples=4, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(steps=st.lists(st.tuples(st.sampled_from(KINDS), st.integers(1, 99)), min_size=2, max_size=6))
def test_rebuilds_leave_the_tree_a_full_build_writes(steps):
    with tempfile.TemporaryDirectory() as scratch:
        project = copy_project(Path(scratch) / "project")
        out, fresh = Path(scratch) / "site", Path(scratch) / "fresh"
        serve = Rebuilds(project, out, TODAY, None)
        serve.run(None)
        for kind, n in steps:
            if kind == "broken, then fixed":  # a mistake leaves the served tree alone; its fix rebuilds
                gpus = project / "data" / "gpus.yaml"
                good, before = gpus.read_text(), tree_digest(out)
                gpus.write_text(good.replace("    per_hour: ", "    per_hour: [", 1))
                with pytest.raises(BuildError):
                    serve.run([gpus])
                assert tree_digest(out) == before
                gpus.write_text(good)
                changed = [gpus]
            else:
                changed = _edit(project, kind, n)
            if changed:
                serve.run(changed)
            build(project, fresh, TODAY, "/")  # a fresh, full build, served at / as ftsite serve serves it
            assert tree_digest(out) == tree_digest(fresh), (kind, n)


def test_a_page_removed_from_a_sub_folder_takes_its_folders_with_it(tmp_path: Path):
    project = copy_project(tmp_path / "project")
    out = tmp_path / "site"
    serve = Rebuilds(project, out, TODAY, None)
    page = project / "content" / "notes" / "deep" / "note.md"
    page.parent.mkdir(parents=True)
    page.write_text("---\ntitle: Note\ndescription: A note two folders down.\n---\nA note.\n")
    serve.run(None)
    assert (out / "notes" / "deep" / "note" / "index.html").is_file()
    page.unlink()
    serve.run([page])
    assert not (out / "notes").exists()


def test_a_price_edit_renders_the_pages_that_show_prices_and_no_plain_page(tmp_path: Path):
    """Every page makes links (it reads ``url``); a price edit must not reach
    the pages that do nothing else. Twenty plain notes beside the real site
    leave the number of pages it renders as it was."""
    rendered = []
    for notes in (0, 20):
        project = copy_project(tmp_path / f"project-{notes}")
        for n in range(notes):
            note = project / "content" / "notes" / f"note-{n}.md"
            note.parent.mkdir(exist_ok=True)
            note.write_text(f"---\ntitle: Note {n}\ndescription: A plain note.\n---\nSee [the costs](/costs/).\n")
        serve = Rebuilds(project, tmp_path / f"site-{notes}", TODAY, None)
        serve.run(None)
        line = serve.run(_edit(project, "price", 7))
        rendered.append(int(line.split(": ", 1)[1].split(" page", 1)[0]))
    assert rendered[0] == rendered[1], rendered  # on 2026-12-01 it was 44 and 64: every page
