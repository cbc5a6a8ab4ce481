"""Charts as data: drawn once, shown twice.

A chart is a plain dict (size, title, description, the x axis's title, and
SVG nodes as ``[tag, {attributes}, text]`` lists; a ``"g"`` may hold a fourth
item, the list of its child nodes), so it travels as JSON like every other
result. The build turns it into SVG markup with ``to_svg``; the
browser builds the same nodes with createElementNS, never parsing markup.
Colours and font sizes come from CSS classes, so there is no inline style for
the Content-Security-Policy to refuse, and each chart carries a description
for readers who cannot see it. The legend and the axis title are the page's
HTML, beside the drawing, so they wrap on a phone instead of shrinking.

One drawing serves every width: site.css sets the tick labels' size in the
drawing's own units, larger the narrower the chart, so that they read at
11.5 CSS px or more from about 220 px wide up. The geometry here is laid out for the
largest of those sizes, ``FONT``: margins fit the widest label, and an axis
takes only as many ticks as fit side by side.
"""

from __future__ import annotations

import math
from datetime import date
from html import escape

from . import display
from .vocabulary import OPTION_LABELS, OPTION_SPOKEN, RESULT_LABELS

WIDTH, HEIGHT = 640, 360
SAMPLES = 40  # volumes the break-even chart computes; 41 points draw a line 500 units wide
FONT = 34  # user units: the largest size site.css gives chart text (charts under 250 px wide)
TOP = round(FONT * 0.7)  # above the top grid line: half its label, and a little air
GAP = 10  # between a y label and the plot
BELOW = round(FONT * 0.65)  # from the x axis to the top of its labels: clear of the lower half of the "$0" beside it
BOTTOM = BELOW + round(FONT * 1.25) + 4
EDGE = 4  # the least room between a label and the drawing's edge
MIN_RIGHT = 12  # room for the last point and a line's end
Y_STEPS = 5  # at most, so that labels stand 1.7 lines apart
ROUND = (1, 2, 2.5, 5)  # tick steps: these times a power of ten
SERIES = tuple(OPTION_LABELS.items())
SPOKEN = OPTION_SPOKEN
DRAW_ORDER = ("fine_tune", "fine_tune_rag", "rag", "prompt")  # widest line first (site.css), so a line on another shows through
SAME = 0.01  # two lines closer than this share of the y axis everywhere are said to coincide


def text_width(text: str) -> float:
    """A generous width of a label at ``FONT``, in user units: about that of
    DejaVu Sans, as wide as the common sans-serifs come."""
    return FONT * sum(0.34 if c in " .,:;'|!il" else 0.92 if c in "MWmw" else 0.66 for c in text)


def round_step(value: float, steps: int) -> float:
    """The smallest 1, 2, 2.5 or 5 x 10^k that reaches ``value`` in at most ``steps`` steps."""
    value = value if value > 0 else 1.0
    power = 10.0 ** math.floor(math.log10(value / steps))
    for multiple in ROUND + (10,):
        step = float(f"{multiple * power:.12g}")
        if math.ceil(value / step - 1e-9) <= steps:
            return step
    return 10 * power  # not reached: 10 x power always covers value / steps


def round_ticks(value: float, steps: int) -> list[float]:
    """0, step, 2 x step ... up to the first multiple of a round step at or
    above ``value``, in at most ``steps`` steps: the axis ends on a tick."""
    step = round_step(value, steps)
    count = max(1, math.ceil((value if value > 0 else 1.0) / step - 1e-9))
    return [float(f"{i * step:.12g}") for i in range(count + 1)]


def nice_ceiling(value: float) -> float:
    """The top of a round axis of at most five steps over ``value``."""
    return round_ticks(value, Y_STEPS)[-1]


def _margins(x_max: float, x_ticks: list, y_ticks: list) -> tuple[float, float]:
    """Left and right margins that hold the y labels, and the first and last
    x labels centred on their ticks, inside the drawing."""
    left = max([text_width(label) + GAP + EDGE for _v, label in y_ticks] +
               [text_width(x_ticks[0][1]) / 2 + EDGE if x_ticks and x_ticks[0][0] == 0 else 0])
    right = MIN_RIGHT
    if x_ticks:
        share, half = x_ticks[-1][0] / x_max, text_width(x_ticks[-1][1]) / 2
        if share > 0:  # left + share * (WIDTH - left - right) + half <= WIDTH - EDGE
            right = max(right, WIDTH - left - (WIDTH - EDGE - half - left) / share)
    return math.ceil(left), math.ceil(right)


def _fits(x_max: float, x_ticks: list, y_ticks: list) -> bool:
    """Whether the x labels stand apart, half a letter's height between them."""
    left, right = _margins(x_max, x_ticks, y_ticks)
    room = WIDTH - left - right
    places = [(value / x_max * room, text_width(label)) for value, label in x_ticks]
    return room > 0 and all(b - a >= (wa + wb) / 2 + FONT / 2 for (a, wa), (b, wb) in zip(places, places[1:]))


def _first_fitting(candidates: list):
    """The first (x_max, x_ticks, y_ticks, ...) candidate whose labels fit; most ticks first."""
    for candidate in candidates:
        if _fits(*candidate[:3]):
            return candidate
    return candidates[-1]


class Plot:
    """Maps data to the plot area and collects SVG nodes."""

    def __init__(self, x_max: float, x_ticks: list[tuple[float, str]], y_ticks: list[tuple[float, str]]):
        self.x_max, self.y_max = x_max or 1.0, y_ticks[-1][0] or 1.0
        self.x_ticks, self.y_ticks = x_ticks, y_ticks
        self.left, self.right = _margins(self.x_max, x_ticks, y_ticks)
        self.base = HEIGHT - BOTTOM
        self.nodes: list = []

    def x(self, value: float) -> float:
        return round(self.left + value / self.x_max * (WIDTH - self.left - self.right), 1)

    def y(self, value: float) -> float:
        return round(self.base - value / self.y_max * (self.base - TOP), 1)

    def add(self, tag: str, attributes: dict, text: str = "") -> None:
        self.nodes.append([tag, attributes, text])

    def axes(self) -> None:
        for value, label in self.y_ticks:
            self.add("line", {"x1": self.left, "x2": WIDTH - self.right, "y1": self.y(value), "y2": self.y(value),
                              "class": "grid"})
            self.add("text", {"x": self.left - GAP, "y": self.y(value), "class": "tick", "text-anchor": "end",
                              "dominant-baseline": "central"}, label)
        for value, label in self.x_ticks:
            self.add("line", {"x1": self.x(value), "x2": self.x(value), "y1": self.base, "y2": self.base + 6,
                              "class": "grid"})
            self.add("text", {"x": self.x(value), "y": self.base + BELOW, "class": "tick", "text-anchor": "middle",
                              "dominant-baseline": "hanging"}, label)

    def line(self, points: list[tuple[float, float]], css: str) -> None:
        self.add("polyline", {"points": " ".join(f"{self.x(a)},{self.y(b)}" for a, b in points),
                              "class": f"series {css}", "fill": "none"})

    def band(self, low: list[tuple[float, float]], high: list[tuple[float, float]], css: str) -> None:
        outline = list(high) + list(reversed(low))
        self.add("polygon", {"points": " ".join(f"{self.x(a)},{self.y(b)}" for a, b in outline),
                             "class": f"band {css}"})


def y_ticks(high: float, label=display.money_tick) -> list[tuple[float, str]]:
    return [(value, label(value)) for value in round_ticks(high, Y_STEPS)]


def chart(plot: Plot, title: str, description: str, x_label: str = "") -> dict:
    return {"width": WIDTH, "height": HEIGHT, "title": title, "desc": description, "x_label": x_label,
            "nodes": plot.nodes}


def _options(plot: Plot, lines: dict[str, tuple[list, list]], drawn: dict | None = None) -> None:
    """Every option's band (where its figures are a range), the darker band
    of the middle 80% of the price draws over it (``drawn``: {option: (p10
    points, p90 points)}), then every line over the bands, widest first: a
    line that lies on another still shows."""
    for key, _label in SERIES:
        low, high = lines[key]
        if low != high:
            plot.band(low, high, key)
    for key, _label in SERIES:
        if drawn and drawn[key][0] != drawn[key][1]:
            plot.band(*drawn[key], f"{key} drawn")
    for key in DRAW_ORDER:
        plot.line(lines[key][1], key)


def coinciding(lines: dict[str, tuple[list, list]], y_max: float) -> list[list[str]]:
    """Groups of options whose drawn (high) lines are within ``SAME`` of the
    y axis of each other at every point: one line on the page."""
    groups: list[list[str]] = []
    for key, _label in SERIES:
        for group in groups:
            other = lines[group[0]][1]
            if all(abs(a[1] - b[1]) <= SAME * y_max for a, b in zip(lines[key][1], other)):
                group.append(key)
                break
        else:
            groups.append([key])
    return [group for group in groups if len(group) > 1]


def _coinciding_text(lines: dict, y_max: float) -> str:
    said = []
    for group in coinciding(lines, y_max):
        names = [OPTION_LABELS[key] for key in group]
        listed = f"{', '.join(names[:-1])} and {names[-1]}"
        said.append(f" The {listed} lines lie on one another: those options cost the same here, within "
                    f"{display.money(SAME * y_max)}; each is drawn narrower than the one beneath.")
    return "".join(said)


def horizon_chart(cumulative: dict, months: int, start: str, drawn: dict | None = None) -> dict:
    """Cumulative cost of each option, month by month, from its one-time costs.

    ``cumulative`` is {option: (low totals, high totals)}, the running total at
    the end of months 0 (one-time costs only), 1, ... ``months``; an option
    whose figures are a range is drawn as a band under its high line, and a
    move to a successor shows as a change of slope or a step. ``drawn``
    ({option: {p10, p90}}, the Monte Carlo's running totals) darkens the
    middle 80% of the draws within the band.
    """
    ends = {key: cumulative[key][1][-1] for key, _label in SERIES}
    ys = y_ticks(max(max(cumulative[key][1]) for key, _label in SERIES))
    candidates = [(months, [(m, str(m)) for m in range(0, months + 1, step)], ys)
                  for step in (1, 2, 3, 4, 6, 12, 24, 60) if step <= months] or [(months, [(0, "0")], ys)]
    x_max, x_ticks, _ys = _first_fitting(candidates)
    plot = Plot(x_max, x_ticks, ys)
    plot.axes()
    lines = {key: (list(enumerate(cumulative[key][0])), list(enumerate(cumulative[key][1]))) for key, _label in SERIES}
    middle = drawn and {key: (list(enumerate(drawn[key]["p10"])), list(enumerate(drawn[key]["p90"])))
                        for key, _label in SERIES}
    _options(plot, lines, middle)
    totals = ", ".join(f"{SPOKEN[key]} {display.money_range({'low': cumulative[key][0][-1], 'high': ends[key]})}"
                       for key, _label in SERIES)
    starts = ", ".join(f"{SPOKEN[key]} {display.money_range({'low': cumulative[key][0][0], 'high': cumulative[key][1][0]})}"
                       for key, _label in SERIES)
    spread = "; ".join(f"{SPOKEN[key]} {display.money_range({'low': drawn[key]['p10'][-1], 'high': drawn[key]['p90'][-1]})}"
                       for key, _label in SERIES if drawn[key]["p10"] != drawn[key]["p90"]) if drawn else ""
    return chart(plot, f"Cumulative cost over {months} months",
                 f"Cost by month {months}: {totals}. Each line starts from its one-time costs: {starts}."
                 + (f" The middle 80% of the price draws end at {spread}." if spread else "")
                 + _coinciding_text(lines, plot.y_max),
                 f"Months from {start}")


def break_even_chart(total_at, volume: int, even: dict | None, months: int, even_rag: dict | None = None) -> dict:
    """Horizon totals of the four options against monthly volume, with a
    point where fine-tuning meets prompting and where fine-tuning with RAG
    meets RAG alone (each at the low end of the prices).

    ``total_at(q)`` gives {option: {low, high}} at volume q.
    """
    ends = [end for figure in (even, even_rag) if figure for end in (figure["low"], figure["high"] or 0)]
    reach = max([volume * 2, 1000] + [end * 1.5 for end in ends])
    candidates = []
    for steps in range(8, 0, -1):  # each x axis with the y axis its far end needs: y labels set the left margin
        ticks = round_ticks(reach, steps)
        candidates.append((ticks[-1], [(q, display.count_short(q)) for q in ticks],
                           y_ticks(max(t["high"] for t in total_at(ticks[-1]).values()))))
    x_max, x_ticks, _ys = _first_fitting(candidates)
    samples = [x_max * i / SAMPLES for i in range(SAMPLES + 1)]
    totals = [(q, total_at(q)) for q in samples]
    ys = y_ticks(max(t[key]["high"] for _q, t in totals for key, _label in SERIES))
    plot = Plot(x_max, x_ticks, ys)
    plot.axes()
    lines = {key: ([(q, t[key]["low"]) for q, t in totals], [(q, t[key]["high"]) for q, t in totals])
             for key, _label in SERIES}
    _options(plot, lines)
    plot.add("line", {"x1": plot.x(volume), "x2": plot.x(volume), "y1": TOP, "y2": plot.base, "class": "marker"})
    for figure, against in ((even, "prompt"), (even_rag, "rag")):
        if figure is not None:
            at = total_at(figure["low"])[against]["high"]
            plot.add("circle", {"cx": plot.x(figure["low"]), "cy": plot.y(at), "r": 7, "class": "point"})
    stays, stays_rag = RESULT_LABELS["break_even.requests_per_month"], RESULT_LABELS["break_even.fine_tune_rag"]
    where = (f"{stays[0].lower()}{stays[1:]} {display.break_even(even)}" if even
             else "the fine-tuned line never stays below prompting")
    where += (f"; {stays_rag[0].lower()}{stays_rag[1:]} {display.break_even(even_rag)}" if even_rag
              else "; the fine-tuned line with RAG never stays below RAG alone")
    return chart(plot, f"{months}-month totals by monthly volume",
                 f"Total cost over {months} months, everything included, for volumes up to "
                 f"{display.count(round(x_max))} requests a month; {where}; your volume is {display.count(volume)}."
                 + _coinciding_text(lines, plot.y_max),
                 "Requests a month")


ROW = 64  # user units a tornado bar takes, with the air around it
BAR = 34


def tornado_chart(gap: dict, swings: list[dict], months: int) -> dict:
    """What the answer hangs on: for each range, a price's or the reader's
    workload's (numbered as the page lists them), how far the cheapest
    option's margin over the others moves as that range alone goes from its
    low to its high end. A dashed line
    marks the margin at the middle of every range, a solid one zero: past
    it, to the left, another option is the cheaper, so a bar across it is a
    range that alone can change the answer."""
    first, second = OPTION_SPOKEN[gap["cheapest"]], OPTION_SPOKEN[gap["next"]]
    title = f"What moves the margin of {first}, the cheapest"
    ends = [gap["usd"], 0.0] + [end for swing in swings for end in (swing["gap_at_low"], swing["gap_at_high"])]
    low, high = min(ends), max(ends)
    step = round_step((high - low) or abs(high) or 1.0, 4)
    x0, x1 = math.floor(low / step - 1e-9) * step, math.ceil(high / step - 1e-9) * step
    if x1 == x0:
        x1 = x0 + step
    ticks = [float(f"{x0 + i * step:.12g}") for i in range(round((x1 - x0) / step) + 1)]
    labels = [(value, display.signed_money_tick(value)) for value in ticks]
    rows = max(1, len(swings))
    height = TOP + rows * ROW + BOTTOM
    base = height - BOTTOM
    left = math.ceil(max(text_width(str(rows)) + GAP + EDGE, text_width(labels[0][1]) / 2 + EDGE))
    right = math.ceil(max(MIN_RIGHT, text_width(labels[-1][1]) / 2 + EDGE))

    def x(value: float) -> float:
        return round(left + (value - x0) / (x1 - x0) * (WIDTH - left - right), 1)

    nodes: list = []
    for value, label in labels:
        nodes.append(["line", {"x1": x(value), "x2": x(value), "y1": TOP, "y2": base + 6,
                               "class": "zero" if value == 0 else "grid"}, ""])
        nodes.append(["text", {"x": x(value), "y": base + BELOW, "class": "tick", "text-anchor": "middle",
                               "dominant-baseline": "hanging"}, label])
    nodes.append(["line", {"x1": x(gap["usd"]), "x2": x(gap["usd"]), "y1": TOP, "y2": base, "class": "marker"}, ""])
    for index, swing in enumerate(swings):
        top = TOP + index * ROW + (ROW - BAR) / 2
        a, b = sorted((swing["gap_at_low"], swing["gap_at_high"]))
        nodes.append(["text", {"x": left - GAP, "y": round(top + BAR / 2, 1), "class": "tick", "text-anchor": "end",
                               "dominant-baseline": "central"}, str(index + 1)])
        nodes.append(["rect", {"x": x(a), "y": round(top, 1), "width": max(1.0, round(x(b) - x(a), 1)),
                               "height": BAR, "class": "swing"}, ""])
        if a < 0:  # the part of the bar where another option is the cheaper
            nodes.append(["rect", {"x": x(a), "y": round(top, 1), "width": max(1.0, round(x(min(b, 0)) - x(a), 1)),
                                   "height": BAR, "class": "swing flips"}, ""])
    tick = display.signed_money_tick
    said = "; ".join(f"{index + 1}, {swing['input']}: from {tick(swing['gap_at_low'])} at its low end "
                     f"to {tick(swing['gap_at_high'])} at its high end" for index, swing in enumerate(swings))
    crosses = any(min(swing["gap_at_low"], swing["gap_at_high"]) < 0 for swing in swings)
    description = (f"Over {months} months, at the middle of every range, {first} is the cheapest, "
                   f"{display.money(abs(gap['usd']))} below the next, {second}. " +
                   (f"Its margin over the cheapest other option, as each range alone goes from its low to its "
                    f"high end: {said}. " +
                    ("Below zero another option is the cheaper." if crosses else
                     "No range alone brings it below zero, where another option would be the cheaper.")
                    if swings else "No range moves that margin."))
    return {"width": WIDTH, "height": height, "title": title, "desc": description,
            "x_label": f"The cheapest other option's total less {first}'s", "nodes": nodes}


def month_starts(first: date, end: date, step: int) -> list[date]:
    """The first day of every ``step``-th month (January-aligned: quarters for 3),
    starting at the one at or before ``first`` and ending at ``end``."""
    index = (first.year * 12 + first.month - 1) // step * step
    found = []
    while (day := date(index // 12, index % 12 + 1, 1)) <= end:
        found.append(day)
        index += step
    return found


LEAD_DAYS = 45  # the price before the first change shows for at least this long


def price_history_chart(changes: list[tuple[str, float, float]], until: str, title: str, unit: str) -> dict:
    """A step line through a price's changes, [(date, old, new), ...] oldest
    first, on a calendar axis: from the first of a month at least
    ``LEAD_DAYS`` before the first change, ticks on month (or quarter, or
    year) starts, to ``until``, where the line stops: nothing is known after."""
    days = [date.fromisoformat(d) for d, _old, _new in changes]
    end = max(date.fromisoformat(until), days[-1])
    lead = max(LEAD_DAYS, (end - days[0]).days // 4)
    prices = [changes[0][1]] + [new for _d, _old, new in changes]
    ys = y_ticks(max(prices))
    candidates = []
    for step in (1, 2, 3, 6, 12, 24, 36, 60, 120):
        starts = month_starts(date.fromordinal(days[0].toordinal() - lead), end, step)
        label = display.month if step < 12 else (lambda day: str(day.year))  # a year's ticks are Januaries
        candidates.append((max((end - starts[0]).days, 1),
                           [((day - starts[0]).days, label(day)) for day in starts], ys, starts[0]))
    span, x_ticks, _ys, start = _first_fitting(candidates)
    plot = Plot(span, x_ticks, ys)
    plot.axes()
    points = [(start, changes[0][1])] + [(day, new) for day, (_d, _old, new) in zip(days, changes)]
    steps = []
    for index, (day, price) in enumerate(points):
        following = points[index + 1][0] if index + 1 < len(points) else end
        steps += [((day - start).days, price), ((following - start).days, price)]
    plot.line(steps, "history")
    for day, price in points[1:]:
        plot.add("circle", {"cx": plot.x((day - start).days), "cy": plot.y(price), "r": 7, "class": "point"})
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
