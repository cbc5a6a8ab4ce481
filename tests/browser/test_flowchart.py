"""The decision flowchart (generator/engine/flowchart.py) in Chromium: drawn
at build time, redrawn from every live result, the path taken marked on its
nodes, readable at a phone's width and without colour."""

from __future__ import annotations

import pytest

from .pages import READY, open_page

# The decision flowchart (generator/engine/flowchart.py): drawn at build time,
# redrawn from every live result, the path taken marked on its nodes.
FLOW = '[data-chart="charts.flowchart"] svg'


def flow_path(page) -> tuple[list[str], list[str]]:
    """The steps and the outcomes the flowchart marks as on the path."""
    marked = page.locator(f'{FLOW} [data-on-path="true"]').all()
    steps = [node.get_attribute("data-step") for node in marked]
    outcomes = [node.get_attribute("data-outcome") for node in marked]
    assert all(s or o for s, o in zip(steps, outcomes)), "only steps and outcomes are on the path"
    return sorted(s for s in steps if s), [o for o in outcomes if o]


def test_the_flowchart_moves_its_path_as_the_answers_change(chromium, built_site, static_server):
    origin = static_server(built_site)
    page, _requests, problems = open_page(chromium, origin + "/decide/")
    page.wait_for_selector(READY, state="attached", timeout=60_000)
    assert page.get_attribute("html", "data-engine") == "ready", problems
    assert flow_path(page) == (["1", "2", "3", "4"], ["rag"])
    page.check('[name="answers.knowledge_problem"][value="false"]')
    page.wait_for_selector(f'{FLOW} [data-step="6"][data-on-path="true"]')
    assert flow_path(page) == (["1", "2", "3", "5", "6"], ["prompt"])
    page.check('[name="answers.behavior_resisted"][value="true"]')
    page.wait_for_selector(f'{FLOW} [data-outcome="fine_tune"][data-on-path="true"]')
    assert flow_path(page) == (["1", "2", "3", "5"], ["fine_tune"])
    assert page.locator(FLOW).count() == 1
    assert page.locator(f"{FLOW} [data-step]").count() == 6 and page.locator(f"{FLOW} [data-outcome]").count() == 5
    assert page.text_content(f"{FLOW} desc").endswith("so: Fine-tune.")
    assert page.locator(f'{FLOW} [data-edge="5-yes"].on-path').count() == 1
    page.check('[name="answers.knowledge_problem"][value="true"]')  # both problems at once
    page.wait_for_selector(f'{FLOW} [data-outcome="fine_tune_rag"][data-on-path="true"]')
    assert flow_path(page) == (["1", "2", "3", "4"], ["fine_tune_rag"])
    assert page.locator(f'{FLOW} [data-edge="4-yes"].on-path').count() == 1
    assert problems == []


def test_without_javascript_the_flowchart_shows_the_default_path(chromium, built_site, static_server):
    """The default scenario: tried prompting, quality short, knowledge that
    changes often (so a knowledge problem, inferred) -> RAG."""
    origin = static_server(built_site)
    for path in ("/decide/", "/"):
        page, _requests, _problems = open_page(chromium, origin + path, java_script_enabled=False)
        assert page.locator(FLOW).count() == 1, path
        assert flow_path(page) == (["1", "2", "3", "4"], ["rag"]), path
        assert page.locator(f"{FLOW} [data-step]").count() == 6
        assert sorted(o.get_attribute("data-outcome") for o in page.locator(f"{FLOW} [data-outcome]").all()) == [
            "fine_tune", "fine_tune_rag", "fine_tune_small", "prompt", "rag"]
        assert page.text_content(f"{FLOW} title")
        assert "A knowledge problem? yes (because the knowledge changes often)" in page.text_content(f"{FLOW} desc")


READABLE = """(svg) => {
  const frame = svg.getBoundingClientRect();
  const within = (r, b) => r.left >= b.left - 0.5 && r.right <= b.right + 0.5 && r.top >= b.top - 0.5
    && r.bottom <= b.bottom + 0.5;
  return [...svg.querySelectorAll("text")].map((text) => {
    const box = text.classList.contains("flow-label") ? text.closest("g").querySelector(":scope > rect") : null;
    const r = text.getBoundingClientRect();
    return {text: text.textContent, px: parseFloat(getComputedStyle(text).fontSize) * text.getScreenCTM().a,
            inside: within(r, frame) && (!box || within(r, box.getBoundingClientRect()))};
  });
}"""


@pytest.mark.parametrize("width", [320, 1280])
def test_no_flowchart_text_is_under_11px_or_outside_its_box(chromium, built_site, static_server, width):
    origin = static_server(built_site)
    for path in ("/", "/decide/"):
        page, _requests, problems = open_page(chromium, origin + path, viewport={"width": width, "height": 900})
        if path == "/decide/":  # the live drawing, once the first result is shown
            page.wait_for_selector("[data-scenario-link][data-target]", state="attached", timeout=60_000)
        texts = page.locator(FLOW).evaluate(READABLE)
        assert len(texts) >= 20, texts
        small = [(t["text"], round(t["px"], 2)) for t in texts if t["px"] < 11]
        assert small == [], (path, width, small)
        assert [t["text"] for t in texts if not t["inside"]] == [], (path, width)
        assert problems == []


def _luminance(rgb: str) -> float:
    def channel(value: str) -> float:
        c = int(value) / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (channel(v) for v in rgb[rgb.index("(") + 1:rgb.index(")")].split(",")[:3])
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def _contrast(a: str, b: str) -> float:
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_path_stands_out_without_colour_alone(chromium, built_site, static_server, scheme):
    """Filled, solid and thick on the path; outlined and dashed off it; and
    the text on a filled box still reads, in both colour schemes."""
    origin = static_server(built_site)
    page, _requests, problems = open_page(chromium, origin + "/", color_scheme=scheme)
    styles = page.locator(FLOW).evaluate("""(svg) => [...svg.querySelectorAll(".flow-node, .flow-edge")].map((g) => {
      const shape = getComputedStyle(g.querySelector("rect, polyline"));
      const label = getComputedStyle(g.querySelector("text"));
      return {on: g.classList.contains("on-path"), edge: g.classList.contains("flow-edge"), fill: shape.fill,
              stroke: shape.stroke, width: parseFloat(shape.strokeWidth), dash: shape.strokeDasharray,
              text: label.fill};
    })""")
    nodes = [s for s in styles if not s["edge"]]
    for on in (s for s in styles if s["on"]):
        assert on["dash"] == "none" and on["width"] >= 2.5, on
        for off in (s for s in styles if not s["on"] and s["edge"] == on["edge"]):
            assert off["dash"] != "none" and off["width"] <= on["width"] / 2, off
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    for node in nodes:
        behind = node["fill"] if node["on"] else background
        assert _contrast(node["text"], behind) >= 4.5, (scheme, node)
    on_fill = next(n["fill"] for n in nodes if n["on"])
    assert all(n["fill"] != on_fill for n in nodes if not n["on"])  # filled only on the path
    assert problems == []
