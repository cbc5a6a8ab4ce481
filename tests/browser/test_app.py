"""The site in a real browser: Debian's headless Chromium, driven by Playwright,
against the built site on a plain local static server.

Waits use CSS selectors, never page-evaluated strings: the site's own
Content-Security-Policy forbids eval, and the tests keep it switched on.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from conftest import ROOT, TODAY, run_ftsite

from .pages import READY, SHARED, expected, open_page, result



def test_shared_costs_link_computes_its_scenario_live(chromium, built_site, static_server, session):
    origin = static_server(built_site)
    page, requests, problems = open_page(chromium, origin + SHARED)
    assert result(page, "training.cost_per_run_usd") == expected(session, {})["training.cost_per_run_usd"]  # at once
    page.wait_for_selector(READY, state="attached", timeout=60_000)
    assert page.get_attribute("html", "data-engine") == "ready", problems
    assert not page.is_visible("noscript p")  # with JavaScript on, the note for readers without it stays hidden
    fields = {"training.examples": "20000", "training.epochs": "3", "prices.train_per_1m": "4-8",
              "usage.requests_per_month": "250000"}
    want = expected(session, fields)
    page.wait_for_selector(f'.tool-result [data-result="training.tokens"]:text-is("{want["training.tokens"]}")')
    for key in ("training.tokens", "training.cost_per_run_usd", "training.total_usd", "costs.monthly_usd.prompt",
                "costs.horizon_usd.fine_tune", "break_even.requests_per_month", "recommendation.title"):
        assert result(page, key) == want[key], key
    assert result(page, "training.cost_per_run_usd") == "$48–$96"
    assert page.input_value('[name="training.examples"]') == "20000"

    page.fill('[name="training.runs"]', "8")
    want = expected(session, {**fields, "training.runs": "8"})
    page.wait_for_selector(f'.tool-result [data-result="training.total_usd"]:text-is("{want["training.total_usd"]}")')
    assert "training.runs=8" in page.url and "training.examples=20000" in page.url
    assert page.get_attribute("html", "data-engine") == "ready"
    assert problems == []
    assert any(url.endswith(".wasm") for url in requests), requests  # the worker's requests are seen too
    assert all(urlsplit(url).netloc == urlsplit(origin).netloc for url in requests), requests


def test_without_javascript_the_static_results_stand(chromium, built_site, static_server, session):
    origin = static_server(built_site)
    page, requests, _problems = open_page(chromium, origin + SHARED, java_script_enabled=False)
    defaults = expected(session, {})
    assert page.get_attribute("html", "data-engine") is None
    for key in ("training.cost_per_run_usd", "costs.monthly_usd.rag", "recommendation.title"):
        assert result(page, key) == defaults[key]
    assert page.is_visible("noscript p") and "JavaScript is off" in page.text_content("noscript p")
    assert requests[0] == origin + SHARED and any(url.endswith(".css") for url in requests)  # requests are seen
    assert not any("pyodide" in url or url.endswith(".whl") for url in requests)


def test_hostile_url_values_only_produce_field_messages(chromium, built_site, static_server, session):
    origin = static_server(built_site)
    hostile = ("/costs/?training.examples=%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E"
               "&training.offer=%22%3E%3Cscript%3Ealert(2)%3C%2Fscript%3E"
               "&usage.baseline_model=javascript:alert(3)&horizon.months=-5&prices.train_per_1m=NaN"
               "&__proto__.x=1&answers.goal=%3Cb%3E")
    page, _requests, problems = open_page(chromium, origin + hostile)
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    before = page.locator("img, script, b").count()
    page.wait_for_selector(READY, state="attached", timeout=60_000)
    page.wait_for_selector('[data-error-for="training.examples"]:not([hidden])')
    for key in ("training.examples", "training.offer", "usage.baseline_model", "horizon.months",
                "prices.train_per_1m"):
        message = page.text_content(f'[data-error-for="{key}"]')
        assert message and page.is_visible(f'[data-error-for="{key}"]'), key
    assert "<img src=x onerror=alert(1)>" in page.text_content('[data-error-for="training.examples"]')
    assert page.locator("img, script, b").count() == before
    assert result(page, "training.cost_per_run_usd") == expected(session, {})["training.cost_per_run_usd"]
    assert page.get_attribute("html", "data-engine") == "ready"
    assert dialogs == [] and problems == []
    assert "onerror" not in page.url and "training.examples" not in page.url


def test_decide_form_walks_the_flow_and_links_to_costs(chromium, built_site, static_server, session):
    origin = static_server(built_site)
    # at two million requests a month, tuning a small model pays (the sweep in
    # tests/engine/test_decisions.py holds that to each plan's own break-even)
    page, _requests, problems = open_page(chromium, origin + "/decide/?usage.requests_per_month=2000000")
    page.wait_for_selector(READY, state="attached", timeout=60_000)
    page.check('[name="answers.quality_ok"][value="true"]')
    page.check('[name="answers.cost_binding"][value="true"]')
    page.wait_for_selector('.tool-result [data-result="recommendation.title"]:text-is("Fine-tune a smaller model")')
    steps = page.locator('[data-result="recommendation.path"] li').all_text_contents()
    assert [s.rsplit("?", 1)[1].strip() for s in steps] == ["yes", "yes", "yes"]
    link = page.get_attribute("[data-scenario-link]", "href")
    version = json.loads((built_site / "prices.json").read_text())["data_version"]
    assert link == ("/costs/?answers.quality_ok=true&answers.cost_binding=true&usage.requests_per_month=2000000"
                    f"&data={version}")
    page.click("[data-scenario-link]")
    page.wait_for_selector(READY, state="attached", timeout=60_000)
    page.wait_for_selector('.verdict [data-result="recommendation.title"]:text-is("Fine-tune a smaller model")')
    assert problems == []


def test_site_works_from_a_sub_path(chromium, static_server, tmp_path: Path, session):
    served = tmp_path / "host"
    run = run_ftsite("build", "--project", str(ROOT), "--out", str(served / "guide"), "--base-url", "/guide/")
    assert run.code == 0, run.err
    origin = static_server(served)
    page, requests, problems = open_page(chromium, origin + "/guide/costs/?training.runs=2")
    page.wait_for_selector(READY, state="attached", timeout=60_000)
    assert page.get_attribute("html", "data-engine") == "ready", problems
    want = expected(session, {"training.runs": "2"})["training.total_usd"]
    page.wait_for_selector(f'.tool-result [data-result="training.total_usd"]:text-is("{want}")')
    version = json.loads((served / "guide" / "prices.json").read_text())["data_version"]
    assert page.url.endswith(f"/guide/costs/?training.runs=2&data={version}")
    assert any(url.endswith(".wasm") for url in requests), requests
    assert all(urlsplit(url).path.startswith("/guide/") for url in requests), requests
    assert problems == []


def test_engine_failure_leaves_the_static_figures_with_a_note(chromium, broken_site, static_server, session):
    origin = static_server(broken_site)
    page, _requests, _problems = open_page(chromium, origin + "/costs/")
    page.wait_for_selector(READY, state="attached", timeout=60_000)
    assert page.get_attribute("html", "data-engine") == "failed"
    assert "could not start" in page.text_content("[data-engine-status]")
    assert result(page, "training.cost_per_run_usd") == expected(session, {})["training.cost_per_run_usd"]


def test_charts_redraw_live_and_print_carries_the_scenario_link(chromium, built_site, static_server):
    origin = static_server(built_site)
    page, _requests, problems = open_page(chromium, origin + "/costs/")
    page.wait_for_selector(READY, state="attached", timeout=60_000)
    before = page.inner_html('[data-chart="charts.break_even"] svg')
    page.fill('[name="usage.requests_per_month"]', "300000")
    page.wait_for_selector('[data-result="charts.break_even.desc"]:has-text("your volume is 300,000")')
    after = page.inner_html('[data-chart="charts.break_even"] svg')
    assert after != before and after.count("<polyline") >= 2 and "<title>" in after
    assert page.locator('[data-chart="charts.break_even"] svg').count() == 1
    page.emulate_media(media="print")
    assert not page.is_visible("form[data-engine-form]")
    assert page.is_visible("[data-scenario-address]")
    assert page.text_content("[data-scenario-address]") == page.url
    assert "usage.requests_per_month=300000" in page.url
    assert problems == []


def test_caching_batch_and_effort_in_a_link(chromium, built_site, static_server, session):
    """The new workload keys compute live from a shared link, and bad values
    are named beside their own fields, like every other key."""
    origin = static_server(built_site)
    fields = {"usage.cached_input_tokens": "1000", "usage.batch_share": "50%", "effort.fine_tune_hours": "40"}
    page, _requests, problems = open_page(chromium, origin + "/costs/?usage.cached_input_tokens=1000"
                                          "&usage.batch_share=50%25&effort.fine_tune_hours=40")
    page.wait_for_selector(READY, state="attached", timeout=60_000)
    want = expected(session, fields)
    page.wait_for_selector(f'.tool-result [data-result="costs.horizon_usd.fine_tune"]:text-is("{want["costs.horizon_usd.fine_tune"]}")')
    for key in ("costs.per_request_usd.prompt", "costs.parts_usd.fine_tune.engineering", "costs.monthly_usd.rag",
                "costs.one_time_usd.fine_tune"):
        assert result(page, key) == want[key], key
    assert page.input_value('[name="usage.batch_share"]') == "50%"

    page.goto(origin + "/costs/?usage.cached_input_tokens=5000&usage.batch_share=1.5&effort.rag_hours=-1")
    page.wait_for_selector(READY, state="attached", timeout=60_000)
    page.wait_for_selector('[data-error-for="usage.batch_share"]:not([hidden])')
    messages = {key: page.text_content(f'[data-error-for="{key}"]')
                for key in ("usage.cached_input_tokens", "usage.batch_share", "effort.rag_hours")}
    assert "must be at most usage.input_tokens" in messages["usage.cached_input_tokens"]
    assert messages["usage.batch_share"] == "must be <= 1, got 1.5"
    assert messages["effort.rag_hours"] == "must be >= 0, got -1"
    assert problems == []


@pytest.mark.parametrize("fault", ["missing", "corrupt", "text/plain"])
def test_a_broken_runtime_ends_in_engine_unavailable_with_the_static_figures(chromium, built_site, tmp_path, fault,
                                                                              session):
    broken = tmp_path / "broken"
    shutil.copytree(built_site, broken)
    wasm = next(broken.glob("pyodide/*/pyodide.asm.wasm"))
    if fault == "missing":
        wasm.unlink()
    elif fault == "corrupt":
        wasm.write_bytes(b"\0asm" + bytes(range(256)) * 40)
    server = _serving(broken, wasm_type="text/plain" if fault == "text/plain" else "application/wasm")
    try:
        page, _requests, _problems = open_page(chromium, server + "/costs/")
        page.wait_for_selector("html[data-engine=failed]", state="attached", timeout=40_000)
        status = page.text_content("[data-engine-status]")
        assert "unavailable" in status, status
        assert result(page, "training.cost_per_run_usd") == expected(session, {})["training.cost_per_run_usd"]
    finally:
        _stop_serving()


_SERVERS: list = []


def _serving(folder: Path, wasm_type: str) -> str:
    """A static host that can send WebAssembly with the wrong type."""
    import functools
    import threading
    from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

    class Handler(SimpleHTTPRequestHandler):
        extensions_map = {**SimpleHTTPRequestHandler.extensions_map, ".mjs": "text/javascript",
                          ".js": "text/javascript", ".wasm": wasm_type, ".json": "application/json"}

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Handler, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    _SERVERS.append(server)
    return f"http://127.0.0.1:{server.server_address[1]}"


def _stop_serving() -> None:
    while _SERVERS:
        server = _SERVERS.pop()
        server.shutdown()
        server.server_close()


def test_a_value_the_engine_cannot_use_stays_a_field_problem(chromium, built_site, static_server, session):
    origin = static_server(built_site)
    page, _requests, problems = open_page(chromium, origin + "/costs/")
    page.wait_for_selector("html[data-engine=ready]", state="attached", timeout=60_000)
    page.click('summary:has-text("Your own prices")')  # the optional fields open on demand
    page.fill('[name="prices.baseline_input_per_1m"]', "1e-310")
    page.wait_for_selector('[data-error-for="prices.baseline_input_per_1m"]:not([hidden])')
    assert "too small" in page.text_content('[data-error-for="prices.baseline_input_per_1m"]')
    assert page.get_attribute("html", "data-engine") == "ready"
    page.fill('[name="prices.baseline_input_per_1m"]', "3")
    want = expected(session, {"prices.baseline_input_per_1m": "3"})
    page.wait_for_selector(f'.tool-result [data-result="costs.monthly_usd.prompt"]:text-is("{want["costs.monthly_usd.prompt"]}")')
    assert page.is_hidden('[data-error-for="prices.baseline_input_per_1m"]')
    assert page.get_attribute("html", "data-engine") == "ready"
    assert problems == []


def test_the_readers_own_date_drives_the_live_warnings(chromium, built_site, static_server, session):
    """Built on 2026-12-01, read later: the live page judges offers and
    prices on the reader's date, not the build's."""
    origin = static_server(built_site)
    scenario = ("/costs/?answers.behavior_resisted=true&answers.knowledge_changes_often=false"
                "&training.offer=openai-gpt-4.1-mini")
    fields = {"answers.behavior_resisted": "true", "answers.knowledge_changes_often": "false",
              "training.offer": "openai-gpt-4.1-mini"}

    def live_warnings(today: str) -> list[str]:
        page, _requests, problems = open_page(chromium, origin + scenario, today=today)
        page.wait_for_selector("html[data-engine=ready]", state="attached", timeout=60_000)
        want = expected(session, fields, today)["recommendation.warnings"]
        page.wait_for_selector(f'[data-result="recommendation.warnings"] li:text-is("{want[0]["text"]}")')
        texts = page.locator('[data-result="recommendation.warnings"] li').all_text_contents()
        assert problems == []
        return texts

    now, later = live_warnings(TODAY), live_warnings("2027-02-01")
    assert any("stopped taking new customers on 2026-05-07" in text for text in now)
    assert any("stopped taking new training jobs on 2027-01-06" in text for text in later)
    assert now != later

    static, _requests, _problems = open_page(chromium, origin + "/costs/", java_script_enabled=False)
    assert static.locator('[data-result="recommendation.warnings"] li.empty').count() == 1
    page, _requests, _problems = open_page(chromium, origin + "/costs/", today="2027-07-01")
    page.wait_for_selector('[data-result="recommendation.warnings"] li[data-id="stale_price"]', timeout=60_000)




STATUS_LOG = """
window.statusLog = [];
new MutationObserver(() => {
  const status = document.querySelector("[data-engine-status]");
  const text = status && status.textContent.trim();
  if (text && text !== window.statusLog[window.statusLog.length - 1]) window.statusLog.push(text);
}).observe(document, { subtree: true, childList: true, characterData: true });
"""


def test_the_status_line_says_what_the_engine_is_doing_with_the_download_s_progress(chromium, built_site,
                                                                                    static_server):
    """Downloading (bytes of the runtime and the standard library, out of
    their sizes), then starting Python, then the engine, then live."""
    origin = static_server(built_site)
    total = sum(path.stat().st_size for path in built_site.glob("pyodide/**/*")
                if path.name == "pyodide.asm.wasm" or path.name.startswith("python_stdlib."))
    context = chromium.new_context()
    context.add_init_script(STATUS_LOG)
    page = context.new_page()
    page.clock.set_fixed_time(f"{TODAY}T12:00:00")
    page.goto(origin + "/costs/")
    page.wait_for_selector(READY, state="attached", timeout=60_000)
    log = page.evaluate("window.statusLog")
    downloads = [re.fullmatch(r"Downloading Python: ([\d.]+) of ([\d.]+) MB… Until it is ready these are the "
                              r"default scenario's figures\.", text) for text in log]
    counts = [(float(m[1]), float(m[2])) for m in downloads if m]
    assert counts, log
    assert {of for _got, of in counts} == {round(total / 1e6, 1)}, (counts, total)
    assert [got for got, _of in counts] == sorted(got for got, _of in counts) and len(counts) <= 12
    phases = [next((i for i, text in enumerate(log) if text.startswith(start)), None)
              for start in ("Downloading Python", "Starting Python…", "Starting the engine…", "Live: ")]
    assert None not in phases and phases == sorted(phases), log


def test_the_data_question_on_decide_drives_the_dataset_warning_and_prices_the_gap(chromium, built_site,
                                                                                   static_server, session):
    """/decide/ asks how many good examples there are (training.examples):
    on a path that tunes, too few warns, with the cost of labelling and of
    generating the rest; enough clears it, live, with no reload."""
    origin = static_server(built_site)
    page, _requests, problems = open_page(chromium, origin + "/decide/")
    page.wait_for_selector("html[data-engine=ready]", state="attached", timeout=60_000)
    warnings = '.tool-result [data-result="recommendation.warnings"]'
    assert page.locator(f'{warnings} [data-id="tiny_dataset"]').count() == 0  # RAG: no dataset warnings
    page.check('[name="answers.knowledge_problem"][value="false"]')
    page.check('[name="answers.behavior_resisted"][value="true"]')
    page.wait_for_selector('.tool-result [data-result="recommendation.title"]:text-is("Fine-tune")')
    assert page.locator(f'{warnings} [data-id="tiny_dataset"]').count() == 0  # 50,000 examples by default
    page.fill('[name="training.examples"]', "50")
    want = expected(session, {"answers.knowledge_problem": "false", "answers.behavior_resisted": "true",
                              "training.examples": "50"})
    tiny = next(w["text"] for w in want["recommendation.warnings"] if w["id"] == "tiny_dataset")
    assert "To reach 1,000, label the 950 more for about" in tiny and "write them for about" in tiny
    page.wait_for_selector(f'{warnings} [data-id="tiny_dataset"]')
    assert page.text_content(f'{warnings} [data-id="tiny_dataset"]') == tiny
    summary = result(page, "data.summary")
    assert summary == want["data.summary"] and summary.startswith("You have 50 good examples, 950 short of 1,000.")
    assert want["data.synthetic_usd"] in summary and want["data.synthetic_usd"] != "\u2014"
    assert "training.examples=50" in page.url
    page.fill('[name="training.examples"]', "5000")
    page.wait_for_selector('.tool-result [data-result="data.summary"]:text-matches("^You have 5,000 good examples: at or above")')
    assert page.locator(f'{warnings} [data-id="tiny_dataset"]').count() == 0
    assert problems == []


def test_a_change_shows_its_point_figures_then_how_sure_they_are(chromium, built_site, static_server, session):
    """Each change is answered twice by the worker: the point figures at once,
    then the Monte Carlo and the flips. The page ends on the full reply's
    figures, never on 'working it out'."""
    origin = static_server(built_site)
    page, _requests, problems = open_page(chromium, origin + "/costs/")
    page.wait_for_selector("html[data-engine=ready]", state="attached", timeout=60_000)
    page.fill('[name="usage.requests_per_month"]', "250000")
    want = expected(session, {"usage.requests_per_month": "250000"})
    said = want["what_would_change"][0]["text"]
    assert "(above your 250,000)" in said  # only the full reply says it
    page.wait_for_selector(f'.tool-result [data-result="what_would_change"] li:text-is("{said}")')
    for option in ("prompt", "fine_tune"):
        cell = f'.tool-result [data-result="uncertainty.p_cheapest.{option}"]'
        assert page.text_content(cell) == want[f"uncertainty.p_cheapest.{option}"] != "working it out\u2026"
    assert problems == []
