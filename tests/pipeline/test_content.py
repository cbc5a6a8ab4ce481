"""Pages: front matter and Markdown read or refused cleanly, raw HTML escaped
unless a page opts in, drafts left out, nesting bounded."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from conftest import run_ftsite
from generator.errors import BuildError
from generator.pipeline.content import Page, read_page, render_body

from .fuzz import SETTINGS, _check, yaml_texts


def test_markdown_raw_html_is_escaped(project: Path, tmp_path: Path):
    page = project / "content" / "index.md"
    page.write_text(page.read_text() + "\n<script>alert(1)</script>\n\n<b>bold</b>\n")
    out = tmp_path / "site"
    assert run_ftsite("build", "--project", str(project), "--out", str(out)).code == 0
    html = (out / "index.html").read_text()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "<b>bold</b>" not in html


def test_a_page_can_opt_in_to_raw_html(project: Path, tmp_path: Path):
    page = project / "content" / "extra.md"
    page.write_text("---\ntitle: Extra\ndescription: A page with markup.\nraw_html: true\n---\n\n<b>bold</b>\n")
    out = tmp_path / "site"
    assert run_ftsite("build", "--project", str(project), "--out", str(out)).code == 0
    assert "<b>bold</b>" in (out / "extra" / "index.html").read_text()


def test_drafts_are_not_published(project: Path, tmp_path: Path):
    (project / "content" / "wip.md").write_text("---\ntitle: WIP\ndescription: Not yet.\ndraft: true\n---\nSoon.\n")
    out = tmp_path / "site"
    assert run_ftsite("build", "--project", str(project), "--out", str(out)).code == 0
    assert not (out / "wip").exists()
    assert "WIP" not in (out / "index.html").read_text()


def test_markdown_nested_past_the_limit_is_an_error(project: Path, tmp_path: Path):
    deep = "\n".join("  " * level + f"- level {level}" for level in range(30))
    (project / "content" / "deep.md").write_text(f"---\ntitle: Deep\ndescription: A deep list.\n---\n\n{deep}\n\n"
                                                 "The paragraph after it.\n")
    result = run_ftsite("build", "--project", str(project), "--out", str(tmp_path / "site"))
    assert result.code == 1, result.out
    assert "content/deep.md:" in result.err and "nested deeper than" in result.err, result.err


@SETTINGS
@given(front=yaml_texts, body=st.text(max_size=400))
def test_any_page_is_read_or_refused_cleanly(front, body):
    text = f"---\n{front}\n---\n{body}"
    try:
        page = read_page("content/fuzz.md", text)
    except BuildError as error:
        _check(error.errors)
        return
    try:
        render_body(page, text, "/")
    except BuildError as error:
        _check(error.errors)


MARKDOWN_BITS = st.sampled_from(["- ", "  ", "> ", "1. ", "```", "[x](/nowhere/)", "[^1]", "[^1]: n", "|a|b|",
                                 "|-|-|", "::: figures x", ":::", "<script>", "#", "*", "_", "\n", "\n\n", "text"])


@SETTINGS
@given(bits=st.lists(MARKDOWN_BITS, max_size=200))
def test_any_markdown_renders_or_is_refused_cleanly(bits):
    page = Page(source="content/fuzz.md", url="fuzz/", title="F", description="F", template="page.html")
    try:
        body = render_body(page, "".join(bits), "/")
    except BuildError as error:
        _check(error.errors)
        return
    assert "<script>" not in body.html
