"""Every page type at phone, tablet and desktop widths, light and dark: nothing
scrolls sideways, the first heading clears the masthead, the navigation sits
on one baseline, and no chart or diagram text is too small to read.

Each page is loaded once and laid out at every width and scheme in place;
the measures are read from the live layout, after the engine has answered
where a page has one, because what a reader sees then is what counts.
"""

from __future__ import annotations

import pytest

from conftest import TODAY

PAGES = ["/", "/decide/", "/costs/", "/pricing/", "/models/", "/models/gpt-4o/", "/providers/openai/", "/404.html"]
WIDTHS = [320, 390, 768, 1280]
SETTLED = "html[data-engine=ready], html[data-engine=failed], html:not([data-engine])"

MEASURE = """() => {
  const masthead = document.querySelector(".masthead").getBoundingClientRect();
  const heading = document.querySelector("main h1").getBoundingClientRect();
  const links = [...document.querySelectorAll(".masthead nav a")].map((a) => a.getBoundingClientRect());
  const texts = [...document.querySelectorAll("svg text")].filter((t) => t.getBBox().width > 0).map((t) => {
    const svg = t.ownerSVGElement;
    const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
    return {text: t.textContent, px: parseFloat(getComputedStyle(t).fontSize) * scale};
  });
  return {
    scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth,
    gap: heading.top - masthead.bottom,
    rows: links.map((r) => [Math.round(r.top), Math.round(r.bottom)]),
    small: texts.filter((t) => t.px < 11),
  };
}"""


@pytest.mark.parametrize("path", PAGES)
def test_every_page_fits_its_screen(chromium, built_site, static_server, path: str):
    """One load per page (the live engine answers once); then every width
    and colour scheme is laid out in place, as a reader turning a phone or
    switching to dark mode would see it."""
    origin = static_server(built_site)
    context = chromium.new_context(viewport={"width": WIDTHS[0], "height": 900})
    page = context.new_page()
    page.clock.set_fixed_time(f"{TODAY}T12:00:00")
    page.goto(origin + path)
    page.wait_for_selector(SETTLED, state="attached", timeout=60_000)
    problems = []
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 900})
            page.evaluate("() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)))")
            seen = page.evaluate(MEASURE)
            where = f"{path} at {width} px, {scheme}"
            if seen["scrollWidth"] > seen["innerWidth"]:
                problems.append(f"{where}: scrolls sideways ({seen['scrollWidth']} > {seen['innerWidth']} px)")
            if seen["gap"] < 16:
                problems.append(f"{where}: the first heading is {seen['gap']:.0f} px below the masthead")
            if len({tuple(row) for row in seen["rows"]}) > 1:  # same box top and bottom: one line, one baseline
                problems.append(f"{where}: navigation items do not share one line and baseline: {seen['rows']}")
            for text in seen["small"]:
                problems.append(f"{where}: chart text {text['text']!r} renders at {text['px']:.1f} px")
    context.close()
    assert problems == []


IN_VIEW = """(selector) => {
  const box = [...document.querySelectorAll(selector)].find((e) => e.getClientRects().length);
  const r = box.getBoundingClientRect();
  return {top: r.top, bottom: r.bottom, height: innerHeight, text: box.textContent.replace(/\\s+/g, " ")};
}"""


@pytest.mark.parametrize("width, summary", [(390, ".tool-summary-narrow"), (1280, ".tool-summary-wide")])
@pytest.mark.parametrize("path, field, value", [("/costs/", "horizon.months", "36"),
                                                ("/decide/", "answers.knowledge_problem", "false")])
def test_the_summary_stays_in_view_while_the_reader_edits(chromium, built_site, static_server, width, summary,
                                                          path, field, value):
    """The reader edits a field far down the form: the compact summary is on
    screen, whole, and follows the change."""
    origin = static_server(built_site)
    context = chromium.new_context(viewport={"width": width, "height": 800})
    page = context.new_page()
    page.clock.set_fixed_time(f"{TODAY}T12:00:00")
    page.goto(origin + path)
    page.wait_for_selector("html[data-engine=ready]", state="attached", timeout=60_000)
    before = page.evaluate(IN_VIEW, summary)["text"]
    control = page.locator(f'[name="{field}"]').last
    control.evaluate("(c) => window.scrollTo(0, c.getBoundingClientRect().top + scrollY - 200)")
    if control.get_attribute("type") == "radio":
        page.check(f'[name="{field}"][value="{value}"]')
    else:
        control.fill(value)
    page.wait_for_function("([selector, before]) => document.querySelector(selector).textContent.replace(/\\s+/g, ' ')"
                           " !== before", arg=[summary, before])
    seen = page.evaluate(IN_VIEW, summary)
    assert page.evaluate("scrollY") > 400  # the reader is well down the page
    assert 0 <= seen["top"] and seen["bottom"] <= seen["height"] and seen["bottom"] - seen["top"] < seen["height"] / 3, seen
    context.close()
