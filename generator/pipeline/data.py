"""PARSE data/*.yaml into the engine's validated catalog and the site settings.

Each file holds one or more top-level sections (``offers:``, ``models:``...);
together they form the catalog the engine reads. The engine reports problems
by key path; the Lines kept while reading turn each path back into the file
and line an editor must change.
"""

from __future__ import annotations

from dataclasses import dataclass
import ipaddress
from datetime import date
from urllib.parse import urlsplit

from . import marked
from ..engine import fields as f
from ..engine.api import load_catalog
from ..engine.catalog import SECTIONS
from ..engine.fields import Record
from ..engine.model import Catalog
from ..engine.warn import STALE_DAYS
from ..engine.problems import Invalid, Problem, dotted
from ..errors import BuildError, SourceError, fail_if


@dataclass(frozen=True)
class Settings:
    """The ``site:`` section: what the published site calls itself and where it lives."""

    title: str
    description: str
    url: str  # the public address, for canonical links and feeds
    language: str = "en"


@dataclass(frozen=True)
class Data:
    catalog: Catalog
    plain: dict  # the catalog as plain values: what the browser's engine reads
    settings: Settings
    lines: dict  # section -> marked.Lines, to point at the line behind a key path
    warnings: tuple = ()  # SourceErrors an editor should see and may publish anyway (stale prices)


def parse_data(files: dict[str, str], today: str) -> Data:
    """{"data/x.yaml": text} -> Data as of ``today`` (the build date); raises
    BuildError with every problem."""
    errors: list[SourceError] = []
    sections: dict = {}
    lines: dict[str, marked.Lines] = {}
    for name in sorted(files):
        try:
            value, file_lines = marked.load(files[name], name)
        except marked.YamlError as error:
            errors.append(error.error)
            continue
        if value is None:
            continue
        if not isinstance(value, dict):
            errors.append(SourceError(name, 1, "a data file must be a mapping of sections (offers:, models: ...)"))
            continue
        for key in value:
            if key in sections:
                errors.append(SourceError(name, file_lines.line((key,), at_key=True),
                                          f"section {key!r} is already defined in {lines[key].file}"))
            sections[key] = value[key]
            lines[key] = file_lines
    fail_if(errors)
    settings = _settings(sections.pop("site", None), lines)
    try:
        catalog = load_catalog(sections, today)
    except Invalid as invalid:
        raise BuildError([_located(problem, lines) for problem in invalid.problems]) from None
    future, stale = dated_prices(sections, lines, date.fromisoformat(today))
    fail_if(future)
    return Data(catalog, sections, settings, lines, tuple(placeholder_address(settings, lines) + stale))


PLACEHOLDER_HOSTS = ("example.org", "example.com", "example.net", "localhost")
PLACEHOLDER_ENDINGS = (".example", ".test", ".invalid", ".localhost")  # reserved by RFC 2606 and 6761


def placeholder_address(settings: Settings, lines: dict) -> list[SourceError]:
    """A warning while site.url is an address no site is published at: every
    canonical link, the sitemap and the feed would send readers there."""
    host = (urlsplit(settings.url).hostname or "").lower()
    try:
        local = not ipaddress.ip_address(host).is_global  # 127.0.0.1, 10.x, 192.168.x: no public site
    except ValueError:
        local = False
    if local or host in PLACEHOLDER_HOSTS or host.endswith(tuple("." + h for h in PLACEHOLDER_HOSTS) + PLACEHOLDER_ENDINGS):
        return [_located(Problem(("site", "url"), f"{settings.url} is a placeholder address: canonical links, "
                                                  "the sitemap and the feed point at it; set the address the site "
                                                  "is published at"), lines)]
    return []


def dated_prices(plain: dict, lines: dict, today: date) -> tuple[list[SourceError], list[SourceError]]:
    """Errors for an ``as_of`` after the build date: no source can have shown
    a price on a day that has not come; warnings for one older than
    STALE_DAYS, unless its block carries a ``note`` saying why no fresher
    source exists."""
    future, stale = [], []
    found = list(leaves(plain))
    noted = {path[:-1] for path, value in found if path[-1] == "note" and value}
    for path, value in found:
        dated = path[-1] == "as_of" or (path[0] == "changelog" and path[-1] == "date")  # a change, too, is seen
        if not dated or not isinstance(value, str):
            continue
        when = date.fromisoformat(value)  # the catalog's schema has checked it
        if when > today:
            future.append(_located(Problem(path, f"{value} is after today, {today}"), lines))
        elif path[-1] == "as_of" and (today - when).days > STALE_DAYS and path[:-1] not in noted:
            what = "the price" if _is_price(path) else "it"
            stale.append(_located(Problem(path, f"{value} is {(today - when).days} days old: check {what} again"),
                                  lines))
    return future, stale


NOT_PRICES = ("licence", "data_terms", "speed", "latency")  # dated terms and measurements, not prices


def _is_price(path: tuple) -> bool:
    return not any(part in NOT_PRICES for part in path if isinstance(part, str))


def leaves(node, path: tuple = ()):
    """(key path, value) of every leaf of plain data."""
    if isinstance(node, dict):
        for key, child in node.items():
            yield from leaves(child, path + (key,))
    elif isinstance(node, list):
        for index, child in enumerate(node):
            yield from leaves(child, path + (index,))
    else:
        yield path, node


def locate(data: Data, path: tuple, message: str) -> SourceError:
    """A message about the value at ``path`` of the data, as file:line: path: message."""
    return _located(Problem(path, message), data.lines)


def _located(problem: Problem, lines: dict[str, marked.Lines]) -> SourceError:
    """An engine problem at a key path -> the file and line it came from."""
    section = problem.path[0] if problem.path else None
    where = lines.get(section)
    if where is None:
        known = ", ".join(SECTIONS + ("site",))
        return SourceError("data/", None, f"{problem} (no data file defines it; sections are: {known})")
    return SourceError(where.file, where.line(problem.path, problem.at_key), f"{dotted(problem.path)}: {problem.message}")


def _settings(value: object, lines: dict[str, marked.Lines]) -> Settings:
    if value is None:
        raise BuildError([SourceError("data/site.yaml", None, "site: is required (title, description, url)")])
    problems: list[Problem] = []
    record = Record(value, ("site",), problems)
    settings = Settings(
        title=record.read("title", f.text, default=""),
        description=record.read("description", f.text, default=""),
        url=record.read("url", f.web_url, default="https://example.org/"),
        language=record.read("language", f.text, required=False, default="en"),
    )
    record.finish()
    parts = urlsplit(settings.url)
    if parts.username or parts.password or parts.query or parts.fragment or not (parts.path or "/").endswith("/"):
        problems.append(Problem(("site", "url"), f"must be the address of the site's root, ending in / and with no "
                                                 f"user, query or fragment (such as https://example.org/guide/), "
                                                 f"got {settings.url!r}"))
    if problems:
        raise BuildError([_located(problem, lines) for problem in problems])
    return settings
