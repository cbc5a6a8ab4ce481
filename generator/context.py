"""The template context: the names templates can use, from the site model.

Kept apart from render.py so that what a template may call is one short list;
render.py adds the per-page names (page, body, headings, asset).
"""

from __future__ import annotations

from .engine import api, cost, display, scenario
from .engine.model import Catalog, Offer
from .site import Site

DATA_NAMES = {"catalog", "result", "shown", "options", "evaluate", "defaults", "training_price", "tuned_price"}


def template_globals(site: Site) -> dict:
    """Names every template can use besides ``page``, ``body``, ``headings`` and ``asset``."""
    base = site.base_url
    catalog = site.data.catalog

    def url(path: str = "") -> str:
        """A site-relative path under the base URL: url("costs/") -> /guide/costs/."""
        return base + path.lstrip("/")

    defaults = {key: scenario.as_text(field, catalog.defaults.get(key)) for key, field in scenario.FIELDS.items()}
    return {
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
