"""What a published site owes readers, search engines and hosts: meta on
every page, a sitemap, an Atom feed of price changes, robots.txt, _headers,
charts with text alternatives, and ``ftsite check``."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import yaml

from conftest import ROOT, run_ftsite
from generator.commands.check import read_document

SETTINGS = yaml.safe_load((ROOT / "data" / "site.yaml").read_text())["site"]
PUBLIC = SETTINGS["url"].rstrip("/") + "/"
ATOM = "{http://www.w3.org/2005/Atom}"


def _pages(site: Path) -> list[str]:
    return sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html"))


def _url_of(page: str) -> str:
    return "" if page == "index.html" else page.removesuffix("index.html")


def test_every_page_carries_its_meta(built_site: Path):
    for page in _pages(built_site):
        html = (built_site / page).read_text()
        canonical = PUBLIC + _url_of(page)
        for needle in (f'<link rel="canonical" href="{canonical}">', f'<meta property="og:url" content="{canonical}">',
                       '<meta property="og:title" content="', '<meta property="og:description" content="',
                       '<meta property="og:type" content="website">', '<meta name="twitter:card" content="summary">',
                       '<meta name="description" content="', '<link rel="icon" href="/assets/favicon.',
                       'type="application/atom+xml"'):
            assert needle in html, (page, needle)
        description = re.search(r'<meta name="description" content="([^"]*)"', html).group(1)
        assert 20 <= len(description) <= 200, (page, description)
        assert re.search(r"<title>[^<]{3,}</title>", html), page


def test_sitemap_lists_every_page(built_site: Path):
    tree = ET.parse(built_site / "sitemap.xml")
    listed = {loc.text for loc in tree.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")}
    expected = {PUBLIC + _url_of(page) for page in _pages(built_site) if page != "404.html"}
    assert listed == expected
    assert f"Sitemap: {PUBLIC}sitemap.xml" in (built_site / "robots.txt").read_text()


def test_feed_is_atom_with_one_entry_per_change(built_site: Path):
    changelog = yaml.safe_load((ROOT / "data" / "changelog.yaml").read_text())["changelog"]
    feed = ET.parse(built_site / "feed.xml").getroot()
    assert feed.tag == f"{ATOM}feed"
    for required in ("id", "title", "updated", "author"):
        assert feed.find(f"{ATOM}{required}") is not None, required
    assert feed.find(f"{ATOM}link[@rel='self']").get("href") == PUBLIC + "feed.xml"
    entries = feed.findall(f"{ATOM}entry")
    assert len(entries) == len(changelog)
    ids = [entry.findtext(f"{ATOM}id") for entry in entries]
    assert len(set(ids)) == len(ids)
    pricing = read_document(built_site / "pricing" / "index.html")
    for entry in entries:
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}T00:00:00Z", entry.findtext(f"{ATOM}updated"))
        link = entry.find(f"{ATOM}link").get("href")
        assert link.startswith(PUBLIC + "pricing/#") and link.split("#")[1] in pricing.ids
    priced = [c for c in changelog if c.get("old") is not None]
    summaries = " ".join(entry.findtext(f"{ATOM}summary") for entry in entries)
    for change in priced:
        assert f"${change['old']:.2f} to ${change['new']:.2f}" in summaries


def test_hosts_get_headers_for_wasm_caching_and_security(built_site: Path):
    headers = (built_site / "_headers").read_text()
    assert "Content-Type: application/wasm" in headers
    for folder in ("assets", "engine", "pyodide"):
        assert f"/{folder}/*\n  Cache-Control: public, max-age=31536000, immutable" in headers
    assert "Content-Security-Policy: default-src 'self'; script-src 'self' 'wasm-unsafe-eval'" in headers
    assert headers.count("Cache-Control") == 3  # hosts join a header set by two rules: one rule each


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


def test_check_passes_on_the_real_site():
    result = run_ftsite("check", "--project", str(ROOT), "--today", "2026-12-01")
    assert result.code == 0, result.err
    assert "results and prices all good" in result.out
    assert "warning:" not in result.err  # no price older than 180 days without a note saying why


def test_check_names_a_broken_link_a_missing_anchor_and_a_future_date(project: Path):
    page = project / "templates" / "page.html"
    page.write_text(page.read_text().replace("{{ body }}", '{{ body }}<a href="{{ url(\'nowhere/\') }}">x</a>'))
    models = project / "content" / "models.md"
    models.write_text(models.read_text() + "\nSee [the figures](/costs/#no-such-figure).\n")
    gpus = project / "data" / "gpus.yaml"
    text = gpus.read_text()
    gpus.write_text(text.replace("as_of: 2026-11-09", "as_of: 2099-01-01", 1))
    line = text[: text.index("as_of: 2026-11-09")].count("\n") + 1

    result = run_ftsite("check", "--project", str(project))

    assert result.code == 1
    assert "404.html:" in result.err and "link '/nowhere/' matches no file of the site" in result.err
    assert "models/index.html:" in result.err and "no element with id 'no-such-figure' in costs/index.html" in result.err
    assert f"data/gpus.yaml:{line}: gpus[0].as_of: 2099-01-01 is in the future" in result.err
    assert "Traceback" not in result.err


def test_check_finds_off_site_resources_wherever_html_can_load_them(project: Path):
    (project / "content" / "loads.md").write_text(
        "---\ntitle: Loads\ndescription: Every way a page loads a resource.\nraw_html: true\n---\n\n"
        '<img src="/favicon.svg" srcset="https://cdn.example/a.png 1x, https://cdn.example/b.png 2x" alt="">\n\n'
        '<video poster="https://cdn.example/poster.png"></video>\n\n'
        '<svg><image xlink:href="https://cdn.example/i.png"/></svg>\n\n'
        '<style>@import "https://cdn.example/s.css";</style>\n\n'
        '<meta http-equiv="refresh" content="0; url=https://elsewhere.example/">\n')
    result = run_ftsite("check", "--project", str(project), "--today", "2026-12-01")
    assert result.code == 1
    for what in ("https://cdn.example/a.png", "https://cdn.example/b.png", "https://cdn.example/poster.png",
                 "https://cdn.example/i.png", "https://cdn.example/s.css", "https://elsewhere.example/"):
        assert f"loads/index.html:" in result.err and what in result.err, (what, result.err)
    assert "Traceback" not in result.err
