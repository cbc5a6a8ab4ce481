"""``ftsite build`` on the real project: every page, deterministic, self-contained,
rebased under a sub-path, and one word in the engine's vocabulary reaching
every place a reader sees it."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import ROOT, TODAY, copy_project, run_ftsite, tree_digest
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


PUBLIC_ADDRESSES = re.compile(r'(?:rel="canonical" href|property="og:url" content)="([^"]+)"|<loc>([^<]+)</loc>|'
                              r'href="(https?://[^"]+)"|Sitemap: (\S+)')


def public_addresses(out: Path, host: str) -> list[str]:
    """Every absolute address of the site itself (on ``host``): canonical,
    og:url, the sitemap, robots and the feed."""
    found = []
    for name in ("index.html", "costs/index.html", "sitemap.xml", "robots.txt", "feed.xml"):
        found += [next(g for g in match.groups() if g) for match in PUBLIC_ADDRESSES.finditer((out / name).read_text())]
    return [address for address in found if address.split("/")[2] == host]


def _site_url(project: Path, url: str) -> None:
    site = project / "data" / "site.yaml"
    site.write_text(re.sub(r"url: \S+", f"url: {url}", site.read_text()))


def test_the_base_path_is_the_path_of_site_url_unless_given(project: Path, tmp_path: Path):
    _site_url(project, "https://fine-tune.example.org/guide/")
    out = tmp_path / "site"
    assert run_ftsite("build", "--project", str(project), "--out", str(out)).code == 0
    home = (out / "index.html").read_text()
    assert 'href="/guide/costs/"' in home and 'href="/guide/assets/site.' in home
    addresses = public_addresses(out, "fine-tune.example.org")
    assert len(addresses) > 10 and all(a.startswith("https://fine-tune.example.org/guide/") for a in addresses), addresses

    given = tmp_path / "given"
    assert run_ftsite("build", "--project", str(project), "--out", str(given), "--base-url", "/sub/").code == 0
    assert 'href="/sub/costs/"' in (given / "index.html").read_text()
    addresses = public_addresses(given, "fine-tune.example.org")
    assert len(addresses) > 10 and all(a.startswith("https://fine-tune.example.org/sub/") for a in addresses), addresses
    assert check.broken_links(given, "/sub/") == []


@pytest.mark.parametrize("url, warned", [("https://fine-tune-or-prompt.example.org/", True),
                                         ("https://example.com/", True), ("https://preview.localhost/", True),
                                         ("https://site.test/", True), ("https://finetune.dev/", False),
                                         ("https://a.b.example.org/", True), ("https://127.0.0.1/", True),
                                         ("https://example.org.evil.dev/", False)])
def test_build_warns_while_site_url_is_a_placeholder(project: Path, tmp_path: Path, url: str, warned: bool):
    _site_url(project, url)
    result = run_ftsite("build", "--project", str(project), "--out", str(tmp_path / "site"))
    assert result.code == 0, result.err
    line = (project / "data" / "site.yaml").read_text().splitlines().index(f"  url: {url}") + 1
    message = f"warning: data/site.yaml:{line}: site.url: {url} is a placeholder address"
    assert (message in result.err) is warned, result.err


def test_pricing_rows_carry_date_and_source(built_site: Path):
    html = (built_site / "pricing" / "index.html").read_text()
    rows = [row for row in html.split("<tr id=")[1:]]
    assert len(rows) >= 15
    for row in rows:
        assert 'rel="external noopener">' in row and ", 20" in row, row[:120]


def test_output_folder_that_holds_a_project_is_refused(project: Path):
    result = run_ftsite("build", "--project", str(project), "--out", str(project))
    assert result.code == 1 and "refusing to build here" in result.err
    assert (project / "content" / "index.md").is_file()


def test_costs_page_holds_the_default_scenario_figures(built_site: Path):
    from markupsafe import escape

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
            assert key in ("charts.horizon", "charts.break_even", "charts.tornado"), key
        elif isinstance(shown[key], str):
            assert f'data-result="{key}">{escape(shown[key])}<' in html, key
    # by hand: 50,000 examples x 200 tokens x 1 epoch (Fireworks' default) = 10M tokens x $3 per 1M = $30
    assert 'data-result="training.cost_per_run_usd">$30<' in html
    assert 'name="training.examples"' in html and 'value="50000"' in html


def test_a_label_is_one_line_of_the_engine_and_shows_everywhere(tmp_path: Path, chromium, static_server):
    """Reword an option and a question in engine/vocabulary.py: the forms,
    the tables, the path a result took, ftsite eval and the live page all
    follow."""
    copy = copy_project(tmp_path / "repo")
    shutil.copytree(ROOT / "generator", copy / "generator", ignore=shutil.ignore_patterns("__pycache__"))
    vocabulary = copy / "generator" / "engine" / "vocabulary.py"
    text = vocabulary.read_text()
    for old, new in (('"rag": "Prompting + RAG"', '"rag": "Retrieval on top"'),
                     ('"Is the quality good enough on that eval?"', '"Good enough on the eval?"')):
        assert text.count(old) == 1
        text = text.replace(old, new)
    vocabulary.write_text(text)
    env = {"PYTHONPATH": ""}
    done = subprocess.run([sys.executable, "-m", "generator", "build", "--out", str(copy / "site")], cwd=copy,
                          capture_output=True, text=True, timeout=300, env={**os.environ, **env})
    assert done.returncode == 0, done.stderr
    site = copy / "site"
    costs, decide = (site / "costs" / "index.html").read_text(), (site / "decide" / "index.html").read_text()
    assert "Retrieval on top" in costs and "Prompting + RAG" not in costs
    assert "<legend>Good enough on the eval?</legend>" in decide
    assert "Good enough on the eval? no" in decide  # the path the default scenario took
    ran = subprocess.run([sys.executable, "-m", "generator", "eval", "-"], cwd=copy, input="{}", capture_output=True,
                         text=True, timeout=120, env={**os.environ, **env})
    assert "Retrieval on top" in ran.stdout and "Good enough on the eval? no" in ran.stdout, ran.stdout + ran.stderr
    page = chromium.new_context().new_page()
    page.clock.set_fixed_time(f"{TODAY}T12:00:00")  # the reader's date, fixed: no test reads the clock
    page.goto(static_server(site) + "/decide/?answers.tried_prompting=true")
    page.wait_for_selector("html[data-engine=ready]", state="attached", timeout=60_000)
    page.check('[name="answers.quality_ok"][value="true"]')
    page.wait_for_selector('[data-result="recommendation.path"] li:has-text("Good enough on the eval? yes")')


MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]


def test_the_guides_dates_are_the_catalogs(built_site: Path):
    """"What is changing" is prose, so nothing builds it from data: every date it
    names must be one the catalog holds (an offer's closing, a model's
    retirement, a logged change), and every offer's closing dates must be named."""
    from generator.pipeline.data import parse_data
    from generator.pipeline.sources import read_sources

    catalog = parse_data(read_sources(ROOT).data, TODAY).catalog
    section = (ROOT / "content" / "index.md").read_text().split("## What is changing", 1)[1].split("\n## ", 1)[0]
    named = {f"{year}-{MONTHS.index(month) + 1:02d}-{int(day):02d}"
             for day, month, year in re.findall(rf"(\d{{1,2}}) ({'|'.join(MONTHS)}) (\d{{4}})", section)}
    closings = {str(day) for offer in catalog.offers.values() if offer.availability
                for day in (offer.availability.new_customers_until, offer.availability.new_jobs_until) if day}
    held = closings | {str(model.retires) for model in catalog.models.values() if model.retires}
    held |= {str(change.date) for change in catalog.changelog}
    assert len(named) >= 5 and named <= held, sorted(named - held)
    assert closings and closings <= named, sorted(closings - named)


def test_build_warns_of_each_stale_price_at_its_line_and_still_builds(tmp_path):
    """180 days after a price's as_of, the build says so (file, line, key)
    and publishes anyway: a warning, not an error."""
    result = run_ftsite("build", "--project", str(ROOT / "tests" / "fixtures" / "valid"), "--out",
                        str(tmp_path / "site"), "--today", "2027-06-01")
    assert result.code == 0, result.err
    warnings = [line for line in result.err.splitlines() if line.startswith("warning: ") and ".as_of: " in line]
    assert warnings and all(re.match(r"warning: data/[a-z]+\.yaml:\d+: \S+\.as_of: \d{4}-\d\d-\d\d is \d+ days old",
                                     line) for line in warnings), result.err
    assert "data/offers.yaml:12: offers[0].training.as_of: 2026-10-01 is 243 days old" in result.err
    assert f"({len(warnings) + 1} warnings: see above)" in result.out  # and the fixture's placeholder site.url
