"""The template context: the names templates can use, from the site model.

Kept apart from render.py so that what a template may call is one short list;
render.py adds the per-page names (page, body, headings, asset).
"""

from __future__ import annotations

from markupsafe import Markup

from .engine import api, chart, cost, display, scenario
from .policy import CSP
from .engine.model import Catalog, Offer
from .site import Site

DATA_NAMES = {"catalog", "result", "shown", "options", "evaluate", "defaults", "training_price", "tuned_price",
              "chart_svg", "price_histories", "change_anchor", "change_summary"}


def template_globals(site: Site) -> dict:
    """Names every template can use besides ``page``, ``body``, ``headings`` and ``asset``."""
    base = site.base_url
    catalog = site.data.catalog

    def url(path: str = "") -> str:
        """A site-relative path under the base URL: url("costs/") -> /guide/costs/."""
        return base + path.lstrip("/")

    def absolute(path: str = "") -> str:
        """The public address of a site-relative path, for canonical links, feeds and sitemaps."""
        return site.data.settings.url.rstrip("/") + "/" + path.lstrip("/")

    defaults = {key: scenario.as_text(field, catalog.defaults.get(key)) for key, field in scenario.FIELDS.items()}
    return {
        "chart_svg": lambda key: Markup(chart.to_svg(display.at(site.result, key))),
        "change_anchor": _anchors(catalog).__getitem__,
        "change_summary": _change_summary,
        "price_histories": lambda: _price_histories(catalog),
        "options": _options(catalog),
        "evaluate": lambda values: display.flat(api.evaluate(catalog, values)),
        "training_price": lambda offer: _training_price(catalog, offer),
        "tuned_price": lambda offer: _tuned_price(catalog, offer),
        "settings": site.data.settings,
        "base_url": base,
        "nav": site.nav,
        "catalog": catalog,
        "result": site.result,
        "shown": site.shown,
        "fields": scenario.FIELDS,
        "defaults": defaults,
        "url": url,
        "absolute": absolute,
        "csp": CSP,
        "pages": site.pages,
    }


def _options(catalog: Catalog) -> dict[str, list[tuple[str, str]]]:
    """The choices of each select, in catalog order."""
    tunable = dict.fromkeys(m for offer in catalog.offers.values() for m in offer.models)
    return {
        "answers.goal": [(a.goal, a.title) for a in catalog.advice.values()],
        "training.offer": [(o.id, o.name) for o in catalog.offers.values()],
        "usage.baseline_model": [(m.id, f"{m.name} ({display.money(m.price.input_per_1m)} in, "
                                         f"{display.money(m.price.output_per_1m)} out per 1M)")
                                 for m in catalog.models.values() if m.price],
        "usage.tuned_model": [(m, catalog.models[m].name) for m in tunable],
    }


def _training_price(catalog: Catalog, offer: Offer) -> str:
    low, high = cost.train_price(catalog, offer)
    text = display.money_range({"low": low, "high": high})
    if offer.training.gpu:
        gpu = catalog.gpus[offer.training.gpu]
        text += (f" ({gpu.name} at {display.money(gpu.per_hour)} an hour, "
                 f"{display.count(round(offer.training.tokens_per_second))} tokens a second)")
    return text


def _tuned_price(catalog: Catalog, offer: Offer) -> str:
    """What running the tuned model costs, as one phrase."""
    inference = offer.inference
    parts = [f"{display.money(i)} in, {display.money(o)} out per 1M" for i, o in inference.listed.values()]
    if inference.multiplier is not None:
        parts.append(f"{format(inference.multiplier, 'g')}x the base price")
    if inference.gpu:
        gpu = catalog.gpus[inference.gpu]
        scale = ", more as volume grows" if inference.output_tokens_per_second else ""
        parts.append(f"{inference.gpus} x {gpu.name} at {display.money(gpu.per_hour)} an hour{scale}")
    if inference.hosting_per_month_usd:
        parts.append(f"{display.money(inference.hosting_per_month_usd)} a month hosting")
    return "; ".join(parts)


def _price_histories(catalog: Catalog) -> list[dict]:
    """A chart per subject whose price the changelog records changing, oldest change first."""
    changes: dict[str, list] = {}
    for change in sorted(catalog.changelog, key=lambda c: c.date):
        if change.old is not None and change.new is not None:
            changes.setdefault(change.subject, []).append(change)
    found = []
    for subject, items in changes.items():
        name = _name(catalog, subject)
        figure = chart.price_history_chart([(c.date, c.old, c.new) for c in items], catalog.as_of,
                                           f"{name}: {items[-1].what}", items[-1].unit or "USD")
        found.append({"subject": subject, "name": name, "svg": Markup(chart.to_svg(figure)), "desc": figure["desc"]})
    return found


def _name(catalog: Catalog, subject: str) -> str:
    for table in (catalog.offers, catalog.models, catalog.gpus, catalog.providers):
        if subject in table:
            return table[subject].name
    return subject


def _anchors(catalog: Catalog) -> dict:
    """A stable, readable id for every changelog entry: change-<date>-<subject>."""
    found: dict = {}
    for change in catalog.changelog:
        anchor = base = f"change-{change.date}-{change.subject}"
        count = 1
        while anchor in found.values():
            count += 1
            anchor = f"{base}-{count}"
        found[change] = anchor
    return found


def _change_summary(change) -> str:
    price = ""
    if change.old is not None and change.new is not None:
        price = f"{display.money(change.old)} to {display.money(change.new)}{f' ({change.unit})' if change.unit else ''}. "
    return f"{change.what}: {price}{change.note}"
