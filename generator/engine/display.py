"""Figures for people: ``$250``, ``$40–$80``, ``10,000,000``.

The build and the browser both format through this module, so a number a
reader sees with JavaScript off is character for character the number the
live engine shows once it is ready.
"""

from __future__ import annotations

import math

from .vocabulary import ANSWERS, FIELDS


def figure(value: float) -> float:
    """15 significant digits: exact for any sum a reader checks, without float
    noise like 0.30000000000000004. Pages round further only for display."""
    return float(f"{value:.15g}")


def pair(low: float, high: float) -> dict:
    """A result's {low, high}, each a ``figure``."""
    return {"low": figure(low), "high": figure(high)}

DASH = "\u2013"  # en dash, for ranges


def money(value) -> str:
    """Whole dollars from $100, cents below, two significant digits under $1;
    a (low, high) pair as a range."""
    if isinstance(value, (tuple, list)):
        return money_range({"low": value[0], "high": value[1]})
    if value == 0:
        return "$0"
    if value >= 100:
        return f"${value:,.0f}"
    if value >= 1:
        return f"${value:,.0f}" if value == int(value) else f"${value:,.2f}"
    decimals = max(2, 1 - math.floor(math.log10(value)))  # two significant digits, at least cents
    return f"${value:.{decimals}f}"


def money_tick(value: float) -> str:
    """An axis label: ``$40k``, ``$1.2M``, ``$2.5B``; below $1,000 as ``money``."""
    return money(value) if abs(value) < 999.5 else "$" + count_short(value)


def count_short(value: float, significant: int | None = None) -> str:
    """``2.5M``, ``40k``, ``750``: at most two decimals of its unit, or
    ``significant`` figures in all (a summary's $12.8k)."""
    if significant is not None and value:
        value = float(f"{value:.{significant}g}")  # before the unit: 999,999 at 3 figures is 1M
    for unit, suffix in ((1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "k")):
        if round(abs(value) / unit, 2) >= 1:  # 999,999 is 1M, not 1000k
            return f"{round(value / unit, 2):g}{suffix}"
    return f"{round(value, 2):g}"


MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def month(day) -> str:
    """A date's month, as a time axis labels it: ``Jul 2026``."""
    return f"{MONTHS[day.month - 1]} {day.year}"


def money_range(figure: dict) -> str:
    low, high = money(figure["low"]), money(figure["high"])
    return low if low == high else f"{low}{DASH}{high}"


def money_short(figure: dict) -> str:
    """A range in three significant figures, for a summary: $12.8k–$13.1k,
    $1.6M, $350. Three keep apart totals that two would merge ($139k and
    $156k, not $140k and $160k)."""
    def short(value: float) -> str:
        return "$" + count_short(value, 3) if value >= 1 else money(value)
    low, high = short(figure["low"]), short(figure["high"])
    return low if low == high else f"{low}{DASH}{high}"


def count(value: int) -> str:
    return f"{value:,}"


def count_range(figure: dict | None, unit: str = "") -> str:
    if figure is None:
        return "never"
    low, high = count(figure["low"]), count(figure["high"])
    text = low if low == high else f"{low}{DASH}{high}"
    return f"{text} {unit}".rstrip()


def break_even(figure: dict | None) -> str:
    """A break-even volume range; its high end may be "never" at the far end of the prices."""
    if figure is None:
        return "never"
    if figure["high"] is None:
        return f"{count(figure['low'])} requests a month at the low end of the prices; never at the high end"
    return count_range(figure, "requests a month")


def share(value: float) -> str:
    """0.5 -> '50%'."""
    return f"{value * 100:.4g}%"


def rate(value) -> str:
    """Tokens a second, to three significant figures: 16,500; a pair as a range."""
    if isinstance(value, (tuple, list)):
        low, high = rate(value[0]), rate(value[1])
        return low if low == high else f"{low}{DASH}{high}"
    return f"{float(f'{value:.3g}'):,.0f}" if value >= 100 else f"{value:.3g}"


def seconds(value) -> str:
    """0.55 -> '0.55 s', 7.1 -> '7.1 s', 12.34 -> '12 s': two significant figures; a pair as a range."""
    if isinstance(value, (tuple, list)):
        low, high = seconds(value[0]), seconds(value[1])
        return low if low == high else f"{low[:-2]}{DASH}{high}"
    return f"{float(f'{value:.2g}'):g} s"


def seconds_range(waited: dict | None) -> str:
    return "no measurement" if waited is None else seconds([waited["low"], waited["high"]])


def replicas(serving: dict) -> str:
    if serving["replicas"] is None:
        return "none: billed per token"
    spread = count_range(serving["replicas"])
    per = serving["gpus_per_replica"]
    if per > 1:
        return f"{spread} replica{'' if serving['replicas']['high'] == 1 else 's'} of {per} \u00d7 {serving['gpu']}"
    return f"{spread} \u00d7 {serving['gpu']}"


def answer(step: dict) -> str:
    text = ANSWERS["true" if step["answer"] else "false"].lower()
    if step["inferred"]:
        text += f" (because {step['because']})" if step["because"] else " (no sign of one)"
    return text


def flat(result: dict) -> dict:
    """Every ``data-result`` key of a result -> its text, or a list of items.

    A list item is ``{"text": ...}`` plus, where it has them, ``id`` (a warning)
    and ``href`` (a site-relative link the page prefixes with its base URL).
    """
    shown: dict = {}
    _walk(result, "", shown)
    rec = result["recommendation"]
    shown["recommendation.path"] = [{"text": f"{s['question']} {answer(s)}", "id": s["key"]} for s in rec["path"]]
    shown["recommendation.reasons"] = [{"text": r} for r in rec["reasons"]]
    shown["recommendation.lead"] = rec["reasons"][0] if rec["reasons"] else ""
    shown["recommendation.warnings"] = [{"text": w["text"], "id": w["id"]} for w in rec["warnings"]]
    shown["recommendation.base_models"] = [{"text": _base_model(m), "href": f"models/{m['id']}/"}
                                           for m in rec["base_models"]]
    data = result["data"]
    shown["data.synthetic_usd"] = money_range(data["synthetic_usd"]) if data["synthetic_usd"] else "\u2014"
    shown["data.synthetic_model"] = data["synthetic_model"] or "no priced frontier model in the catalog"
    shown["prices.used"] = [_price_item(p) for p in result["prices"]["used"]]
    shown["scenario.assumptions"] = assumptions(result["scenario"])
    shown["costs.changes"] = [{"text": change} for change in result["costs"]["changes"]]
    for option, card in result["options"].items():
        shown[f"options.{option}.risks"] = [{"text": risk} for risk in card["risks"]]
        shown[f"costs.horizon_short.{option}"] = money_short(result["costs"]["horizon_usd"][option])
    shown["break_even.requests_per_month"] = break_even(result["break_even"]["requests_per_month"])
    shown["break_even.fine_tune_rag"] = break_even(result["break_even"]["fine_tune_rag"])
    rated = [figure for figure in result["quality"]["per_correct_usd"].values() if figure is not None]
    shown["quality.rated"] = "yes" if rated else "no"  # the cost per correct answer is known for some option
    for option, figure in result["quality"]["per_correct_usd"].items():
        if figure is None:
            rate = result["scenario"].get(f"quality.{option}")
            shown[f"quality.per_correct_usd.{option}"] = "no correct answers" if rate == 0 else "give its pass rate"
    _extras(result, shown)
    waits = result["latency"]

    shown["latency.notes"] = [{"text": note} for note in waits["notes"]]
    for option in result["options"]:
        figure = waits[option]
        shown[f"latency.{option}.model"] = figure["model"] if figure else "—"
        for key in ("first_token_s", "last_token_s"):
            shown[f"latency.{option}.{key}"] = seconds_range(figure and figure[key])
    shown["serving.replicas"] = replicas(result["serving"])
    for option, figure in result["costs"]["per_request_usd"].items():
        if figure is None:
            shown[f"costs.per_request_usd.{option}"] = "\u2014"  # no requests, so no cost per request
    return shown


PENDING = "working it out\u2026"


def _extras(result: dict, shown: dict) -> None:
    """The Monte Carlo's and the flips' texts, or, in a reply that leaves them
    for later, that they are being worked out."""
    sure, sentences = result["uncertainty"], result["what_would_change"]
    shown["what_would_change"] = [{"text": PENDING}] if sentences is None else [{"text": s} for s in sentences]
    shown["uncertainty.draws"] = PENDING if sure is None else count(sure["draws"])
    if sure is not None:
        shown["uncertainty.swung"] = "yes" if sure["swings"] else "no"
    shown["uncertainty.swings"] = [{"text": PENDING}] if sure is None else [
        {"text": f"{swing['input']}, {_span(swing)}: the margin runs from {signed_money(swing['gap_at_low'])} "
                 f"at its low end to {signed_money(swing['gap_at_high'])} at its high end"}
        for swing in sure["swings"]]
    for option in result["options"]:
        if sure is None:
            shown[f"uncertainty.p_cheapest.{option}"] = shown[f"uncertainty.horizon_range.{option}"] = PENDING
            continue
        shown[f"uncertainty.p_cheapest.{option}"] = f"{sure['p_cheapest'][option]:.0%}"
        spread = sure["horizon_usd"][option]
        shown[f"uncertainty.horizon_range.{option}"] = money_range({"low": spread["p10"], "high": spread["p90"]})


def signed_money(value: float) -> str:
    """$2,700, or \u2212$2,700 below zero."""
    return f"\u2212{money(-value)}" if value < 0 else money(value)


def signed_money_tick(value: float) -> str:
    """An axis label that may fall below zero: ``$40k``, or ``\u2212$40k``."""
    return f"\u2212{money_tick(-value)}" if value < 0 else money_tick(value)


def _span(swing: dict) -> str:
    show = {"rate": rate, "count": lambda value: count(round(value))}.get(swing["unit"], money)
    return f"{show(swing['low'])}{DASH}{show(swing['high'])}"


def assumptions(s: dict) -> list[dict]:
    """Every setting of the scenario the figures rest on, as its field is
    labelled: the printed record's assumptions."""
    listed = []
    for key, field in FIELDS.items():
        value = s.get(key)
        if value is None:
            continue
        listed.append({"text": f"{field.label}: {_setting(field, value)}", "id": key})
    return listed


def _setting(field, value) -> str:
    """A setting in words: yes or no, 25%, $100 per hour, 1,500 tokens."""
    if field.kind == "flag":
        return "yes" if value else "no"
    if field.kind == "share":
        return share(value)
    low, high = value if field.kind == "span" else (value, value)
    if field.unit.startswith("$"):
        money_text = money_range({"low": low, "high": high})
        return f"{money_text} per {field.unit[2:]}" if field.unit.startswith("$/") else money_text
    if not isinstance(low, (int, float)):
        return str(value)
    text = f"{low:,.10g}" if low == high else f"{low:,.10g}{DASH}{high:,.10g}"
    return f"{text} {field.unit}" if field.unit and field.kind != "date" else text


def _base_model(model: dict) -> str:
    licence = model.get("licence")
    if not licence:
        return model["name"]
    return f"{model['name']} ({licence['name']}{'' if licence['commercial'] else ': no commercial use'})"


def at(result: dict, key: str):
    """The part of a result a dotted key names (result["charts"]["horizon"] for
    "charts.horizon"), or None when there is none."""
    node = result
    for part in key.split("."):
        if not isinstance(node, dict) or part not in node:
            return None
        node = node[part]
    return node


def _walk(node: object, key: str, shown: dict) -> None:
    """Scalars and money figures by dotted key; lists are itemised by ``flat``."""
    if isinstance(node, dict) and set(node) == {"low", "high"}:
        if key.endswith("_usd") or "_usd." in key:
            shown[key] = money_range(node)
    elif isinstance(node, dict):
        for name, child in node.items():
            if key or name != "scenario":  # the scenario shows in the form, not as results
                _walk(child, f"{key}.{name}" if key else name, shown)
    elif isinstance(node, (bool, list)) or node is None:
        return
    elif isinstance(node, int):
        shown[key] = count(node)
    elif isinstance(node, float):
        shown[key] = money(node)
    else:
        shown[key] = str(node)


def _price_item(price: dict) -> dict:
    value = price["value"]
    show = {"usd": money, "share": share, "rate": rate, "seconds": seconds}[price["unit"]]
    low, high = value if isinstance(value, list) else (value, value)
    figure = show(low) if show(low) == show(high) else f"{show(low)}{DASH}{show(high)}"
    if price["unit"] == "seconds":
        figure = seconds([low, high])  # 0.2–0.6 s, as the latency table writes it
    when = f", as of {price['as_of']}" if price["as_of"] else ""
    item = {"text": f"{price['what']}: {figure}{when}"}
    if price["source"].startswith("http"):
        item["href"] = price["source"]
    return item
