"""Every page type at phone, tablet and desktop widths, light and dark: nothing
scrolls sideways, the first heading clears the masthead, the navigation sits
on one baseline, and no chart or diagram text is too small to read.

One browser context per width and scheme visits every page; the measures
are read from the live layout, after the engine has answered where a page
has one, because what a reader sees then is what counts.
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


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_every_page_fits_its_screen(chromium, built_site, static_server, width: int, scheme: str):
    origin = static_server(built_site)
    context = chromium.new_context(viewport={"width": width, "height": 900}, color_scheme=scheme)
    page = context.new_page()
    page.clock.set_fixed_time(f"{TODAY}T12:00:00")
    problems = []
    for path in PAGES:
        page.goto(origin + path)
        page.wait_for_selector(SETTLED, state="attached", timeout=60_000)
        seen = page.evaluate(MEASURE)
        if seen["scrollWidth"] > seen["innerWidth"]:
            problems.append(f"{path}: scrolls sideways ({seen['scrollWidth']} > {seen['innerWidth']} px)")
        if seen["gap"] < 16:
            problems.append(f"{path}: the first heading is {seen['gap']:.0f} px below the masthead")
        lines = {bottom for _top, bottom in seen["rows"]}
        if len({top for top, _bottom in seen["rows"]}) != len(lines):
            problems.append(f"{path}: navigation items do not share a baseline: {seen['rows']}")
        if len(lines) > 1:
            problems.append(f"{path}: the navigation wraps onto {len(lines)} lines")
        for text in seen["small"]:
            problems.append(f"{path}: chart text {text['text']!r} renders at {text['px']:.1f} px")
    context.close()
    assert problems == []
