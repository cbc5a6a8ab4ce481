"""The decision flow as a chart: six steps, five outcomes, and the path taken.

Drawn as data in the format of chart.py (size, title, description, SVG
nodes), so the build writes it into the page and the browser redraws it from
each result. Every step and outcome is a group: ``data-step="1"`` to ``"6"``,
``data-outcome="<recommendation id>"``, and ``data-on-path="true"`` on those
the path went through, so tests and tools find them without reading the
drawing. The path shows without colour too: its boxes are filled, its edges
thick and solid; the rest are outlined and dashed.

The layout is a column, for phones: the steps stacked, each outcome to the
right of the step that leads to it, prompting across the foot (two steps lead
there), and three lanes on the left for the edges that skip steps. Step 4,
the behaviour question inside the knowledge branch, has both its outcomes on
the right: retrieval alone beside step 3 (an edge up the gap), tuning with
retrieval beside step 4 itself. The
viewBox is narrow (290 units) and the text 13 units, so that at the narrowest
the page gives it (about 255 CSS px, /decide/'s results at a 320 px screen)
no text renders under 11 px.
"""

from __future__ import annotations

from . import display
from .vocabulary import ANSWERS, FLOW_OUTCOMES, FLOW_SMALL_DOES_NOT_PAY, FLOW_STEPS, OUTCOME_TITLES

# The steps decide.py asks (the key of each is FLOW_KEYS'), and where each
# answer leads: a step number or an outcome id. tests/engine/test_flowchart.py
# holds this to decide() for every combination of answers.
LEADS = {
    1: {False: "prompt", True: 2},
    2: {True: 6, False: 3},
    3: {True: 4, False: 5},
    4: {True: "fine_tune_rag", False: "rag"},
    5: {True: "fine_tune", False: 6},
    6: {True: "fine_tune_small", False: "prompt"},
}
SMALL = "fine_tune_small"
LAST = max(LEADS)

WIDTH = 290
FONT, LINE = 13, 15  # text size and line spacing, in viewBox units (site.css sets the same size)
LANES = {1: 5, 2: 15, 3: 25}  # x of the lane on the left that step n's skipping edge runs down
STEP_X, STEP_W, BOX_H = 35, 123, 40
OUT_X, OUT_W = 192, 94
GAP_X = (STEP_X + STEP_W + OUT_X) / 2  # the middle of the gap between the columns
# Where each outcome on the right stands: beside a step's middle, moved down by
# the offset (tuning with retrieval sits low beside step 4, clear of the edge
# that rises from step 4 to retrieval beside step 3).
OUTCOME_AT = {"rag": (3, 0), "fine_tune_rag": (4, 9), "fine_tune": (5, 0), "fine_tune_small": (6, 0)}
TOP, PITCH = 6, 64  # the first step's top; one step to the next
PAD = 5  # between a box's edge and its text
ARROW = 7  # an arrowhead's length
STEP_CX, OUT_CX = STEP_X + STEP_W / 2, OUT_X + OUT_W / 2

# Advance widths in em of DejaVu Sans, the widest of the usual sans-serif
# fonts, rounded up: labels wrapped by them fit their boxes in any font.
NARROW = {**dict.fromkeys("ijl'", 0.28), **dict.fromkeys(" ,.:;!|", 0.32), **dict.fromkeys("ft-", 0.4),
          **dict.fromkeys("r()", 0.41), "?": 0.53, **dict.fromkeys("csz", 0.55)}
WIDE = {"m": 0.97, "w": 0.82, "M": 0.86, "W": 0.99}


def text_width(text: str) -> float:
    """An upper bound on the width of ``text`` at FONT, in viewBox units."""
    return FONT * sum(NARROW.get(c) or WIDE.get(c) or (0.75 if c.isupper() else 0.64) for c in text)


def wrap(text: str, width: float) -> list[str]:
    """``text`` in lines no wider than ``width`` where its words allow."""
    lines: list[str] = []
    for word in text.split():
        if lines and text_width(f"{lines[-1]} {word}") <= width:
            lines[-1] += f" {word}"
        else:
            lines.append(word)
    return lines


def row_top(step: int) -> float:
    return TOP + (step - 1) * PITCH


def row_mid(step: int) -> float:
    return row_top(step) + BOX_H / 2


PROMPT_TOP = row_top(LAST) + BOX_H + 46  # room under the last step for the small model's note
PROMPT_H = 34
PROMPT_MID = PROMPT_TOP + PROMPT_H / 2
HEIGHT = PROMPT_TOP + PROMPT_H + TOP


def flowchart(path: list[dict], outcome: str) -> dict:
    """The flowchart with ``path`` (a recommendation's steps, each {key,
    answer, ...}) and ``outcome`` (its id) drawn as the path taken.

    When the flow ends at a smaller model that does not pay at the reader's
    volume, the outcome is another one: step 5's "yes" is drawn as taken, the
    smaller model is marked as not paying, and the outcome is highlighted
    where it stands.
    """
    steps = [step["step"] for step in path]
    answers = {number: step["answer"] for number, step in zip(steps, path)}
    declined = bool(steps) and LEADS[steps[-1]][answers[steps[-1]]] == SMALL and outcome != SMALL
    taken = {(number, answers[number]) for number in steps}
    nodes = [_edge(number, answer, (number, answer) in taken) for number in LEADS for answer in (True, False)]
    nodes += [_step(number, number in answers) for number in LEADS]
    nodes += [_outcome(key, key == outcome, declined and key == SMALL) for key in FLOW_OUTCOMES]
    said = "; ".join(f"{FLOW_STEPS[step['step']]} {display.answer(step)}" for step in path)
    if declined:
        said += f", but a small model {FLOW_SMALL_DOES_NOT_PAY}"
    return {"width": WIDTH, "height": HEIGHT, "title": "The decision flow: each question, and where its answer leads",
            "desc": f"Up to five questions asked in order, each leading to an outcome or to the next. The path taken, "
                    f"drawn heavier: {said}; so: {OUTCOME_TITLES[outcome]}.",
            "nodes": nodes}


def _group(attributes: dict, on_path: bool, children: list, node: bool = True) -> list:
    """A step's, an outcome's or an edge's group; only nodes carry data-on-path."""
    css = attributes.pop("class") + (" on-path" if on_path else "")
    marked = {"data-on-path": "true"} if on_path and node else {}
    return ["g", {"class": css, **attributes, **marked}, "", children]


def _box(x: float, top: float, width: float, height: float, radius: float, text: str, css: str = "") -> list:
    lines = wrap(text, width - 2 * PAD)
    mid = top + height / 2
    return [["rect", {"x": _n(x), "y": _n(top), "width": _n(width), "height": _n(height), "rx": _n(radius),
                      "class": "flow-box"}, ""]] + [
        ["text", {"x": _n(x + width / 2), "y": _baseline(mid, index, len(lines)), "text-anchor": "middle",
                  "class": f"flow-label{css}"}, line]
        for index, line in enumerate(lines)]


def _baseline(mid: float, index: int, count: int) -> float:
    """Where line ``index`` of ``count`` sits for the lines to centre on ``mid``."""
    return _n(mid + (index - (count - 1) / 2) * LINE + 0.35 * FONT)


def _n(value: float) -> float | int:
    """A coordinate as short as it can be written: 101, not 101.0; 2 decimals at most."""
    value = round(float(value), 2)
    return int(value) if value.is_integer() else value


def _step(number: int, on_path: bool) -> list:
    label = FLOW_STEPS[number]
    return _group({"class": "flow-node flow-step", "data-step": str(number)}, on_path,
                  _box(STEP_X, row_top(number), STEP_W, BOX_H, 4, label))


def _outcome(key: str, on_path: bool, declined: bool) -> list:
    label = FLOW_OUTCOMES[key]
    if key == "prompt":
        children = _box(STEP_X, PROMPT_TOP, OUT_X + OUT_W - STEP_X, PROMPT_H, PROMPT_H / 2, label)
    else:
        mid = outcome_mid(key)
        height = len(wrap(label, OUT_W - 2 * PAD)) * LINE + 12
        children = _box(OUT_X, mid - height / 2, OUT_W, height, 14, label)
        if declined:
            note = wrap(FLOW_SMALL_DOES_NOT_PAY, OUT_W + 2 * PAD)
            below = mid + height / 2 + LINE
            children += [["text", {"x": _n(OUT_CX), "y": _n(below + index * LINE), "text-anchor": "middle",
                                   "class": "flow-note"}, line] for index, line in enumerate(note)]
    css = "flow-node flow-outcome" + (" flow-declined" if declined else "")
    return _group({"class": css, "data-outcome": key}, on_path, children)


def outcome_mid(key: str) -> float:
    row, offset = OUTCOME_AT[key]
    return row_mid(row) + offset


def _edge(number: int, answer: bool, on_path: bool) -> list:
    """The edge for ``answer`` at step ``number``: its line, arrowhead and label."""
    lead = LEADS[number][answer]
    mid, bottom = row_mid(number), row_top(number) + BOX_H
    word = ANSWERS["true" if answer else "false"].lower()
    right = STEP_X + STEP_W
    if number in LANES and (lead == "prompt" or lead != number + 1):  # down a lane on the left
        lane = LANES[number]
        end = PROMPT_MID if lead == "prompt" else row_mid(lead)
        points = [(STEP_X, mid), (lane, mid), (lane, end), (STEP_X, end)]
        if number == 1:
            label = {"x": (STEP_X + lane) / 2, "y": mid - 5}
        else:  # on the lane, in the gap below the step after this one, behind a halo
            label = {"x": lane, "y": (row_top(number + 1) + BOX_H + row_top(number + 2)) / 2 + 0.35 * FONT,
                     "halo": True}
    elif isinstance(lead, int) or lead == "prompt":  # straight down to the next box
        end = PROMPT_TOP if lead == "prompt" else row_top(lead)
        points = [(STEP_CX, bottom), (STEP_CX, end)]
        label = {"x": STEP_CX + 6, "y": (bottom + end) / 2 + 0.35 * FONT, "anchor": "start"}
    elif OUTCOME_AT[lead][0] < number:  # up the gap to the outcome beside the step above
        start, end = row_top(number) + 10, outcome_mid(lead)
        points = [(right, start), (GAP_X, start), (GAP_X, end), (OUT_X, end)]
        label = {"x": GAP_X, "y": (start + end) / 2 + 0.35 * FONT, "halo": True}
    else:  # across to the outcome beside the step
        level = outcome_mid(lead)
        points = [(right, level), (OUT_X, level)]
        below = OUTCOME_AT[lead][1] > 0  # under the line, clear of an edge rising above it
        label = {"x": GAP_X - 2, "y": level + (FONT if below else -8)}  # clear of the arrowhead
    css = "flow-edge-label" + (" flow-halo" if label.get("halo") else "")
    children = [["polyline", {"points": _points(points[:-1] + [_short(points[-2], points[-1])]),
                              "class": "flow-line", "fill": "none"}, ""],
                ["polygon", {"points": _points(_arrowhead(points[-2], points[-1])), "class": "flow-arrow"}, ""],
                ["text", {"x": _n(label["x"]), "y": _n(label["y"]), "text-anchor": label.get("anchor", "middle"),
                          "class": css}, word]]
    return _group({"class": "flow-edge", "data-edge": f"{number}-{word}"}, on_path, children, node=False)


def _points(points: list[tuple[float, float]]) -> str:
    return " ".join(f"{_n(x)},{_n(y)}" for x, y in points)


def _direction(start: tuple, end: tuple) -> tuple[float, float]:
    dx, dy = end[0] - start[0], end[1] - start[1]
    length = (dx * dx + dy * dy) ** 0.5
    return dx / length, dy / length


def _short(start: tuple, end: tuple) -> tuple[float, float]:
    """``end`` moved back to the arrowhead's base, so a thick line never shows past its tip."""
    dx, dy = _direction(start, end)
    return end[0] - dx * (ARROW - 1), end[1] - dy * (ARROW - 1)


def _arrowhead(start: tuple, end: tuple) -> list[tuple[float, float]]:
    dx, dy = _direction(start, end)
    base = (end[0] - dx * ARROW, end[1] - dy * ARROW)
    return [end, (base[0] - dy * 4.5, base[1] + dx * 4.5), (base[0] + dy * 4.5, base[1] - dx * 4.5)]
