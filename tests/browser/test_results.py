"""Results never lie: while a field is invalid, or a link cannot be worked
out, no figure computed from values the reader did not enter shows, and
what of a link was not used is listed with why."""

from __future__ import annotations

import json

from .pages import expected, open_page, result


def test_an_invalid_field_hides_every_figure_until_it_is_fixed(chromium, built_site, static_server, session):
    origin = static_server(built_site)
    page, _requests, problems = open_page(chromium, origin + "/costs/")
    page.wait_for_selector("html[data-engine=ready]", state="attached", timeout=60_000)
    page.fill('[name="usage.requests_per_month"]', "-5")
    page.wait_for_selector('.tool-result[data-stale="true"]', state="attached")
    assert page.get_attribute(".tool-summary-narrow", "data-stale") == "true"
    for key in ("costs.monthly_usd.prompt", "costs.horizon_usd.rag", "recommendation.title", "training.total_usd"):
        assert not page.is_visible(f'.tool-result [data-result="{key}"]'), key
    assert not page.is_visible('.tool-result [data-chart] svg')
    # nor the default scenario's verdict: no recommended card, no verdict in either summary
    for shown in (".tool-result .option-cards", ".tool-result .verdict", ".tool-summary .summary-verdict",
                  ".tool-summary .summary-totals"):
        assert not page.locator(shown).first.is_visible(), shown
    summary = page.locator("[data-error-summary]")
    assert summary.is_visible() and "There is a problem" in summary.text_content()
    link = summary.locator("a")
    assert link.count() == 1 and link.text_content().startswith("Requests per month: ")
    assert link.get_attribute("href") == "#field-usage.requests_per_month"

    page.fill('[name="usage.requests_per_month"]', "250000")
    page.wait_for_selector('.tool-result:not([data-stale])', state="attached")
    want = expected(session, {"usage.requests_per_month": "250000"})
    assert result(page, "costs.monthly_usd.prompt") == want["costs.monthly_usd.prompt"]
    assert page.is_visible('.tool-result [data-result="costs.monthly_usd.prompt"]')
    assert not summary.is_visible()
    assert problems == []


def test_a_required_field_cleared_is_a_problem_not_the_default(chromium, built_site, static_server):
    origin = static_server(built_site)
    page, _requests, problems = open_page(chromium, origin + "/costs/")
    page.wait_for_selector("html[data-engine=ready]", state="attached", timeout=60_000)
    page.fill('[name="usage.requests_per_month"]', "")
    page.wait_for_selector('.tool-result[data-stale="true"]', state="attached")
    assert "needs a value" in page.text_content("[data-error-summary]")
    assert not page.is_visible('.tool-result [data-result="costs.monthly_usd.prompt"]')
    assert problems == []


def test_a_link_whose_engine_cannot_start_shows_no_figures_as_its_own(chromium, broken_site, static_server):
    """The built figures are the default scenario's: under a link asking for
    5,000,000 requests they stay hidden, and the panel says why."""
    origin = static_server(broken_site)
    page, _requests, _problems = open_page(chromium, origin + "/costs/?usage.requests_per_month=5000000")
    page.wait_for_selector("html[data-engine=failed]", state="attached", timeout=60_000)
    assert page.get_attribute(".tool-result", "data-stale") == "true"
    assert not page.is_visible('.tool-result [data-result="costs.monthly_usd.prompt"]')
    assert "cannot be worked out here" in page.text_content(".tool-result [data-stale-wait]")


def test_a_link_s_repeats_old_names_and_unknown_choices_are_handled_in_the_open(chromium, built_site, static_server):
    origin = static_server(built_site)
    page, _requests, problems = open_page(chromium, origin + "/costs/?usage.requests_per_month=5000"
                                          "&usage.requests_per_month=7000&answers.corpus_documents=25000"
                                          "&training.offer=bogus&" + "x" * 250 + "=1")
    page.wait_for_selector("html[data-engine=ready]", state="attached", timeout=60_000)
    page.wait_for_selector("[data-dropped]:not([hidden])")
    items = page.locator("[data-dropped] li").all_text_contents()
    assert "usage.requests_per_month=5000: given again later in the link, and the later value is used" in items
    assert any(item.endswith(": longer than 200 characters") for item in items), items
    assert page.input_value('[name="usage.requests_per_month"]') == "7000"
    assert page.input_value('[name="rag.documents"]') == "25000"  # an old link's name for the corpus
    assert page.eval_on_selector('[name="training.offer"]', "(s) => s.selectedIndex") == -1  # nothing pretends
    page.select_option('[name="training.offer"]', index=0)
    page.wait_for_selector('.tool-result:not([data-stale])', state="attached")
    assert problems == []


def test_a_field_reached_from_the_error_summary_is_not_under_the_sticky_summary(chromium, built_site, static_server):
    origin = static_server(built_site)
    page, _requests, problems = open_page(chromium, origin + "/costs/", viewport={"width": 320, "height": 640})
    page.wait_for_selector("html[data-engine=ready]", state="attached", timeout=60_000)
    page.fill('[name="horizon.months"]', "0")
    page.wait_for_selector('.tool-result[data-stale="true"]', state="attached")
    page.click("[data-error-summary] a")
    page.wait_for_timeout(300)
    covered = page.evaluate("""() => {
      const summary = document.querySelector(".tool-summary-narrow").getBoundingClientRect();
      const field = document.querySelector('[name="horizon.months"]').getBoundingClientRect();
      return {summary: summary.bottom, field: field.top};
    }""")
    assert covered["field"] >= covered["summary"], covered
    assert problems == []


def test_what_a_link_asked_for_and_could_not_have_is_listed_with_why(chromium, built_site, static_server):
    origin = static_server(built_site)
    page, _requests, problems = open_page(chromium, origin + "/decide/?usage.input_tokens=many&colour=blue"
                                                             "&answers.tried_prompting=false")
    page.wait_for_selector("html[data-engine=ready]", state="attached", timeout=60_000)
    page.wait_for_selector("[data-dropped]:not([hidden])")
    items = page.locator("[data-dropped] li").all_text_contents()
    assert len(items) == 2, items
    assert items[0].startswith("usage.input_tokens=many: must be a whole number")  # a field /costs/ has
    assert items[1] == "colour=blue: not a setting of this calculator"
    assert page.get_attribute(".tool-result", "data-stale") is None  # what the page can show, it shows
    assert result(page, "recommendation.title") == "Prompt, and measure it"
    assert problems == []


def test_a_shared_link_names_its_data_version_and_an_old_one_is_told_so(chromium, built_site, static_server):
    origin = static_server(built_site)
    version = json.loads((built_site / "prices.json").read_text())["data_version"]
    page, _requests, problems = open_page(chromium, origin + "/costs/?usage.requests_per_month=250000")
    page.wait_for_selector("html[data-engine=ready]", state="attached", timeout=60_000)
    page.wait_for_url(lambda url: "data=" in url)  # polled here: the page's CSP refuses a string evaluated there
    assert page.evaluate("location.search") == f"?usage.requests_per_month=250000&data={version}"
    page, _requests, problems = open_page(chromium, origin + "/costs/?usage.requests_per_month=250000&data=000000000000")
    page.wait_for_selector("[data-dropped]:not([hidden])", timeout=60_000)
    items = page.locator("[data-dropped] li").all_text_contents()
    assert items == [f"data=000000000000: the link was made on other prices; these figures use the site's current data "
                     f"(version {version})"], items
    assert page.get_attribute(".tool-result", "data-stale") is None
    assert problems == []
