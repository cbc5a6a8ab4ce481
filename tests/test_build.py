"""A real build of the real project: complete, deterministic, self-contained."""

from __future__ import annotations

from pathlib import Path

import yaml

from conftest import TODAY, ROOT, run_ftsite, tree_digest
from generator.commands import check

PAGES = ["index.html", "decide/index.html", "costs/index.html", "pricing/index.html", "models/index.html",
         "404.html"]


def _ids(section: str) -> list[str]:
    found = []
    for path in sorted((ROOT / "data").glob("*.yaml")):
        found += [item["id"] for item in (yaml.safe_load(path.read_text()) or {}).get(section, [])]
    return found


def test_every_page_is_built(built_site: Path):
    for page in PAGES:
        assert (built_site / page).is_file(), page
    models, providers = _ids("models"), _ids("providers")
    assert len(models) >= 10 and len(providers) >= 8
    for model in models:
        assert (built_site / "models" / model / "index.html").is_file(), model
    for provider in providers:
        assert (built_site / "providers" / provider / "index.html").is_file(), provider


def test_same_inputs_give_identical_trees(tmp_path: Path, built_site: Path):
    again = tmp_path / "again"
    result = run_ftsite("build", "--project", str(ROOT), "--out", str(again))
    assert result.code == 0, result.err
    assert tree_digest(again) == tree_digest(built_site)


def test_no_resource_comes_from_another_host(built_site: Path):
    assert check.off_site_resources(built_site) == []


def test_every_internal_link_and_anchor_resolves(built_site: Path):
    assert check.broken_links(built_site, "/") == []


def test_sub_path_build_links_stay_under_the_base(tmp_path: Path):
    out = tmp_path / "guide-site"
    result = run_ftsite("build", "--project", str(ROOT), "--out", str(out), "--base-url", "/guide/")
    assert result.code == 0, result.err
    assert check.broken_links(out, "/guide/") == []
    home = (out / "index.html").read_text()
    assert 'href="/guide/costs/"' in home
    assert 'href="/costs/"' not in home  # Markdown links were rebased too
    not_found = (out / "404.html").read_text()
    assert 'href="/guide/assets/site.' in not_found  # absolute, so it works at any missing path


def test_pricing_rows_carry_date_and_source(built_site: Path):
    html = (built_site / "pricing" / "index.html").read_text()
    rows = [row for row in html.split("<tr id=")[1:]]
    assert len(rows) >= 15
    for row in rows:
        assert 'rel="external noopener">' in row and ", 20" in row, row[:120]


def test_autoescape_and_no_inline_scripts(built_site: Path):
    for page in built_site.rglob("*.html"):
        html = page.read_text()
        assert "<script>" not in html and "<script >" not in html
        for chunk in html.split("<script")[1:]:
            assert "src=" in chunk.split(">")[0], f"inline script in {page}"
        assert "Content-Security-Policy" in html


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


def test_output_folder_that_holds_a_project_is_refused(project: Path):
    result = run_ftsite("build", "--project", str(project), "--out", str(project))
    assert result.code == 1 and "refusing to build here" in result.err
    assert (project / "content" / "index.md").is_file()


def test_costs_page_holds_the_default_scenario_figures(built_site: Path):
    from generator.commands.check import read_document
    from generator.pipeline.data import parse_data
    from generator.engine import evaluate
    from generator.engine.display import flat
    from generator.pipeline.sources import read_sources

    shown = flat(evaluate(parse_data(read_sources(ROOT).data, TODAY).catalog))
    html = (built_site / "costs" / "index.html").read_text()
    keys = {key for key, _line in read_document(built_site / "costs" / "index.html").results}
    assert {"training.tokens", "training.cost_per_run_usd", "training.total_usd", "costs.monthly_usd.prompt",
            "costs.horizon_usd.fine_tune", "break_even.requests_per_month"} <= keys
    for key in keys:
        if key not in shown:  # a data-chart: drawn, not a text
            assert key in ("charts.horizon", "charts.break_even"), key
        elif isinstance(shown[key], str):
            assert f'data-result="{key}">{shown[key]}<' in html, key
    # by hand: 50,000 examples x 200 tokens x 1 epoch (Fireworks' default) = 10M tokens x $3 per 1M = $30
    assert 'data-result="training.cost_per_run_usd">$30<' in html
    assert 'name="training.examples"' in html and 'value="50000"' in html
