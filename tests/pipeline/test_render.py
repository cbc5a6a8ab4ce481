"""Rendering: autoescape on, no inline scripts, charts as SVG with text
alternatives and no inline style."""

from __future__ import annotations

import re
from pathlib import Path

from conftest import run_ftsite
from generator.pipeline.render import make_environment


def test_autoescape_and_no_inline_scripts(built_site: Path):
    for page in built_site.rglob("*.html"):
        html = page.read_text()
        assert "<script>" not in html and "<script >" not in html
        for chunk in html.split("<script")[1:]:
            assert "src=" in chunk.split(">")[0], f"inline script in {page}"
        assert "Content-Security-Policy" in html


def test_data_reaches_pages_escaped(project: Path, tmp_path: Path):
    """Autoescape is on: markup in the catalog is text on every page."""
    models = project / "data" / "models.yaml"
    models.write_text(models.read_text().replace(
        "      The 8B open-weight Llama, the usual small base", "      <script>alert(1)</script> The 8B open-weight Llama, the usual small base", 1))
    assert run_ftsite("build", "--project", str(project), "--out", str(tmp_path / "site")).code == 0
    page = (tmp_path / "site" / "models" / "llama-3.1-8b" / "index.html").read_text()
    assert "&lt;script&gt;alert(1)&lt;/script&gt; The 8B" in page
    assert "<script>alert(1)" not in page


def test_charts_are_svg_with_text_alternatives_and_no_inline_style(built_site: Path):
    costs = (built_site / "costs" / "index.html").read_text()
    pricing = (built_site / "pricing" / "index.html").read_text()
    for html, count in ((costs, 2), (pricing, 1)):
        charts = re.findall(r'<svg [^>]*role="img"[^>]*>(.*?)</svg>', html, re.S)
        assert len(charts) >= count
        for chart in charts:
            assert re.search(r"<title>[^<]+</title><desc>[^<]{40,}</desc>", chart)
            assert "style=" not in chart and "<script" not in chart
    assert 'data-result="charts.horizon.desc">Cost by month 12' in costs


def test_every_template_a_page_loads_is_recorded_however_it_is_named():
    """What a page read decides which pages a change touches: an include by a
    list of names, and the names tried before it, count as much as one by name."""
    env = make_environment({"page.html": '{% include ["_missing.html", "_part.html"] %}{% extends "base.html" %}',
                            "base.html": "{% block body %}{% endblock %}", "_part.html": "part"})
    env.reads = set()
    env.get_template("page.html").render()
    assert {"template:page.html", "template:base.html", "template:_part.html", "template:_missing.html"} <= env.reads
