"""Charts as data: drawn once, shown twice.

A chart is a plain dict (size, title, description, and SVG nodes as
``[tag, {attributes}, text]`` lists; a ``"g"`` may hold a fourth item, the
list of its child nodes), so it travels as JSON like every other result. The build turns it into SVG markup with ``to_svg``; the browser builds
the same nodes with createElementNS, never parsing markup. Colours come from
CSS classes, so there is no inline style for the Content-Security-Policy to
refuse, and each chart carries a description for readers who cannot see it.
"""

from __future__ import annotations

import math
from datetime import date, timedelta
from html import escape

from . import display
from .vocabulary import OPTION_LABELS, OPTION_SPOKEN, RESULT_LABELS

WIDTH, HEIGHT = 640, 300
SAMPLES = 40  # volumes the break-even chart computes; 41 points draw a line 600 px wide
LEFT, RIGHT, TOP, BOTTOM = 72, 20, 16, 44
SERIES = tuple(OPTION_LABELS.items())
SPOKEN = OPTION_SPOKEN


def nice_ceiling(value: float) -> float:
    """The smallest 1, 2 or 5 x 10^k at or above ``value`` (for axis ends)."""
    if value <= 0:
        return 1.0
    power = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 5, 10):
        if value <= step * power:
            return step * power
    return 10 * power


class Plot:
    """Maps data to the plot area and collects SVG nodes."""

    def __init__(self, x_max: float, y_max: float):
        self.x_max, self.y_max = x_max or 1.0, nice_ceiling(y_max)
        self.nodes: list = []

    def x(self, value: float) -> float:
        return round(LEFT + value / self.x_max * (WIDTH - LEFT - RIGHT), 1)

    def y(self, value: float) -> float:
        return round(HEIGHT - BOTTOM - value / self.y_max * (HEIGHT - TOP - BOTTOM), 1)

    def add(self, tag: str, attributes: dict, text: str = "") -> None:
        self.nodes.append([tag, attributes, text])

    def axes(self, x_ticks: list[tuple[float, str]], x_label: str) -> None:
        for index in range(5):
            value = self.y_max * index / 4
            self.add("line", {"x1": LEFT, "x2": WIDTH - RIGHT, "y1": self.y(value), "y2": self.y(value),
                              "class": "grid"})
            self.add("text", {"x": LEFT - 8, "y": self.y(value) + 4, "class": "tick", "text-anchor": "end"},
                     display.money(value))
        for value, label in x_ticks:
            anchor = "end" if value >= self.x_max else "middle"  # the last label stays inside the frame
            self.add("text", {"x": self.x(value), "y": HEIGHT - BOTTOM + 18, "class": "tick",
                              "text-anchor": anchor}, label)
        self.add("text", {"x": (LEFT + WIDTH - RIGHT) / 2, "y": HEIGHT - 6, "class": "axis-label",
                          "text-anchor": "middle"}, x_label)

    def line(self, points: list[tuple[float, float]], css: str) -> None:
        self.add("polyline", {"points": " ".join(f"{self.x(a)},{self.y(b)}" for a, b in points),
                              "class": f"series {css}", "fill": "none"})

    def band(self, low: list[tuple[float, float]], high: list[tuple[float, float]], css: str) -> None:
        outline = list(high) + list(reversed(low))
        self.add("polygon", {"points": " ".join(f"{self.x(a)},{self.y(b)}" for a, b in outline),
                             "class": f"band {css}"})

    def legend(self, entries: list[tuple[str, str]]) -> None:
        x = LEFT + 8
        for css, label in entries:
            self.add("line", {"x1": x, "x2": x + 18, "y1": TOP + 8, "y2": TOP + 8, "class": f"series {css}"})
            self.add("text", {"x": x + 24, "y": TOP + 12, "class": "legend"}, label)
            x += 34 + 7 * len(label)


def chart(plot: Plot, title: str, description: str) -> dict:
    return {"width": WIDTH, "height": HEIGHT, "title": title, "desc": description, "nodes": plot.nodes}


def horizon_chart(cumulative: dict, months: int, start: str) -> dict:
    """Cumulative cost of each option, month by month, from its one-time costs.

    ``cumulative`` is {option: (low totals, high totals)}, the running total at
    the end of months 0 (one-time costs only), 1, ... ``months``; an option
    whose figures are a range is drawn as a band under its high line, and a
    move to a successor shows as a change of slope or a step.
    """
    ends = {key: cumulative[key][1][-1] for key, _label in SERIES}
    plot = Plot(months, max(ends.values()))
    step = next(s for s in (1, 2, 3, 6, 12, 24) if months / s <= 12)
    plot.axes([(m, str(m)) for m in range(0, months + 1, step)], f"months from {start}")
    for key, _label in SERIES:
        low, high = cumulative[key]
        _series(plot, key, list(enumerate(low)), list(enumerate(high)))
    plot.legend(list(SERIES))
    totals = ", ".join(f"{SPOKEN[key]} {display.money_range({'low': cumulative[key][0][-1], 'high': ends[key]})}"
                       for key, _label in SERIES)
    starts = ", ".join(f"{SPOKEN[key]} {display.money_range({'low': cumulative[key][0][0], 'high': cumulative[key][1][0]})}"
                       for key, _label in SERIES)
    return chart(plot, f"Cumulative cost over {months} months",
                 f"Cost by month {months}: {totals}. Each line starts from its one-time costs: {starts}.")


def _series(plot: Plot, key: str, low: list, high: list) -> None:
    if low != high:
        plot.band(low, high, key)
    plot.line(high, key)


def break_even_chart(total_at, volume: int, even: dict | None, months: int) -> dict:
    """Horizon totals of the three options against monthly volume.

    ``total_at(q)`` gives {option: {low, high}} at volume q.
    """
    reach = max(volume * 2, (even["low"] * 1.5) if even else 0, (even["high"] or 0) * 1.5 if even else 0, 1000)
    x_max = nice_ceiling(reach)
    samples = [x_max * i / SAMPLES for i in range(SAMPLES + 1)]
    totals = [(q, total_at(q)) for q in samples]
    plot = Plot(x_max, max(t[key]["high"] for _q, t in totals for key, _label in SERIES))
    plot.axes([(x_max * i / 4, display.count(round(x_max * i / 4))) for i in range(5)], "requests a month")
    for key, _label in SERIES:
        _series(plot, key, [(q, t[key]["low"]) for q, t in totals], [(q, t[key]["high"]) for q, t in totals])
    plot.add("line", {"x1": plot.x(volume), "x2": plot.x(volume), "y1": TOP, "y2": HEIGHT - BOTTOM,
                      "class": "marker"})
    plot.add("text", {"x": plot.x(volume) + 4, "y": TOP + 40, "class": "legend"}, "your volume")
    if even is not None:
        at = total_at(even["low"])["prompt"]["high"]
        plot.add("circle", {"cx": plot.x(even["low"]), "cy": plot.y(at), "r": 5, "class": "point"})
    plot.legend(list(SERIES))
    stays = RESULT_LABELS["break_even.requests_per_month"]
    where = (f"{stays[0].lower()}{stays[1:]} {display.break_even(even)}" if even
             else "the fine-tuned line never stays below prompting")
    return chart(plot, f"{months}-month totals by monthly volume",
                 f"Total cost over {months} months, everything included, for volumes up to "
                 f"{display.count(round(x_max))} requests a month; {where}; your volume is {display.count(volume)}.")


def price_history_chart(changes: list[tuple[str, float, float]], until: str, title: str, unit: str) -> dict:
    """A step line through a price's changes, [(date, old, new), ...] oldest
    first, from a quarter before the first change to ``until``."""
    start = date.fromisoformat(changes[0][0]) - timedelta(days=91)
    points = [(start, changes[0][1])] + [(date.fromisoformat(d), new) for d, _old, new in changes]
    end = date.fromisoformat(until)
    span = max((end - start).days, 1)
    plot = Plot(span, max(price for _, price in points) * 1.2)
    labels = [((day - start).days, "earlier" if index == 0 else day.isoformat()) for index, (day, _p) in enumerate(points)]
    plot.axes(labels + [(span, until)], "")
    steps = []
    for index, (day, price) in enumerate(points):
        following = points[index + 1][0] if index + 1 < len(points) else end
        steps += [((day - start).days, price), ((following - start).days, price)]
    plot.line(steps, "history")
    for day, price in points[1:]:
        plot.add("circle", {"cx": plot.x((day - start).days), "cy": plot.y(price), "r": 4, "class": "point"})
    told = "; ".join(f"{display.money(old)} to {display.money(new)} on {d}" for d, old, new in changes)
    return chart(plot, title, f"{title} ({unit}): {told}; unchanged since, as of {until}.")


def to_svg(figure: dict) -> str:
    """The chart as SVG markup, every attribute and text escaped."""
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {figure["width"]} {figure["height"]}" '
             f'role="img" class="chart"><title>{escape(figure["title"])}</title><desc>{escape(figure["desc"])}</desc>']
    parts += [_node(node) for node in figure["nodes"]]
    return "".join(parts) + "</svg>"


def _node(node: list) -> str:
    tag, attributes, text, *rest = node
    attrs = "".join(f' {name}="{escape(str(value))}"' for name, value in attributes.items())
    inner = escape(text) + ("".join(_node(child) for child in rest[0]) if tag == "g" and rest else "")
    return f"<{tag}{attrs}>{inner}</{tag}>" if inner else f"<{tag}{attrs}/>"
