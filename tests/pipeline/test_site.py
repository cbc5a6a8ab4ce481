"""What the site stage adds for readers, search engines and feeds: meta on
every page, a sitemap and robots.txt, an Atom feed of price changes with
anchors that stay unique, and no content file claiming a generated output."""

from __future__ import annotations

import re
import subprocess
import sys
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


def test_many_changelog_entries_on_one_day_build_quickly(project: Path, tmp_path: Path):
    changelog = project / "data" / "changelog.yaml"
    entries = "".join(f"  - date: 2026-11-01\n    subject: gpt-4o\n    what: Note {i}\n    note: The same day.\n"
                      "    source: https://example.com/\n" for i in range(4000))
    changelog.write_text(changelog.read_text() + entries)
    started = subprocess.run([sys.executable, "-m", "generator", "build", "--project", str(project), "--out",
                              str(tmp_path / "site")], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert started.returncode == 0, started.stderr[-2000:]
    pricing = (tmp_path / "site" / "pricing" / "index.html").read_text()
    assert 'id="change-2026-11-01-gpt-4o-4000"' in pricing
    ids = [part.split('"', 1)[0] for part in pricing.split(' id="change-')[1:]]
    assert len(ids) == len(set(ids)) >= 4000


def test_identical_changelog_entries_get_their_own_anchors(project: Path, tmp_path: Path):
    changelog = project / "data" / "changelog.yaml"
    entry = ("  - date: 2026-11-02\n    subject: gpt-4o\n    what: Twice\n    note: The same entry.\n"
             "    source: https://example.com/\n")
    changelog.write_text(changelog.read_text() + entry * 2)
    assert run_ftsite("build", "--project", str(project), "--out", str(tmp_path / "site")).code == 0
    pricing = (tmp_path / "site" / "pricing" / "index.html").read_text()
    assert pricing.count('id="change-2026-11-02-gpt-4o"') == 1 and 'id="change-2026-11-02-gpt-4o-2"' in pricing


def test_content_files_cannot_replace_generated_outputs(project: Path, tmp_path: Path):
    (project / "content" / "_headers").write_text("/*\n  X-Nothing: here\n")
    runtime = project / "content" / "pyodide" / "314.0.7"
    runtime.mkdir(parents=True)
    (runtime / "pyodide.mjs").write_text("export const loadPyodide = () => {};\n")
    (project / "content" / "sitemap.xml").write_text("<urlset/>")
    result = run_ftsite("build", "--project", str(project), "--out", str(tmp_path / "site"))
    assert result.code == 1
    for name in ("_headers", "pyodide/314.0.7/pyodide.mjs", "sitemap.xml"):
        assert f"content/{name}: would replace the {name} the build writes" in result.err, result.err
