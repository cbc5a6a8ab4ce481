"""axe-core (from npm, pinned in tests/node) in headless Chromium on every page
type, light and dark: no serious or critical violation. Keyboard use of the
decision questions is checked by hand-free tabbing and space presses."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest

from conftest import NODE_TOOLS, TODAY, missing_tool

PAGES = ["/", "/decide/", "/costs/", "/pricing/", "/models/", "/models/gpt-4o/", "/providers/openai/", "/no/such/page/"]
READY = "html[data-engine=ready], html[data-engine=failed]"


@pytest.fixture(scope="session")
def axe_source() -> str:
    script = NODE_TOOLS / "node_modules" / "axe-core" / "axe.min.js"
    if not script.exists():
        npm = shutil.which("npm")
        if npm is None:
            missing_tool("npm", "install Node.js with npm, which fetches axe-core once")
        subprocess.run([npm, "ci", "--prefer-offline", "--silent", "--no-audit", "--no-fund"], cwd=NODE_TOOLS, check=True)
    return script.read_text()


@pytest.fixture
def not_found_server(built_site, tmp_path):
    """A static server that answers missing paths with the site's 404 page, as hosts do."""
    from conftest import _StaticHandler
    import functools
    import threading
    from http.server import ThreadingHTTPServer

    class Handler(_StaticHandler):
        def send_error(self, code, message=None, explain=None):
            if code != 404:
                return super().send_error(code, message, explain)
            body = (built_site / "404.html").read_bytes()
            self.send_response(404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Handler, directory=str(built_site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_no_serious_or_critical_violations(chromium, not_found_server, axe_source):
    """Each page once, checked in the light scheme and then, switched in place, the dark."""
    context = chromium.new_context(bypass_csp=True)  # to inject axe; the site's CSP is tested elsewhere
    page = context.new_page()
    page.clock.set_fixed_time(f"{TODAY}T12:00:00")  # the reader's date, fixed: no test reads the clock
    found = {}
    for path in PAGES:
        page.emulate_media(color_scheme="light")
        page.goto(not_found_server + path)
        if path in ("/decide/", "/costs/"):
            page.wait_for_selector(READY, state="attached", timeout=60_000)
        page.evaluate(axe_source)
        for scheme in ("light", "dark"):
            page.emulate_media(color_scheme=scheme)
            report = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
            bad = [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3]) for v in report["violations"]
                   if v["impact"] in ("serious", "critical")]
            if bad:
                found[f"{path} ({scheme})"] = bad
    context.close()
    assert found == {}, json.dumps(found, indent=1)


def test_decision_questions_work_from_the_keyboard(chromium, built_site, static_server):
    origin = static_server(built_site)
    page = chromium.new_context().new_page()
    page.clock.set_fixed_time(f"{TODAY}T12:00:00")
    page.clock.set_fixed_time("2026-12-01T12:00:00")
    page.goto(origin + "/decide/?usage.requests_per_month=2000000")  # a volume at which a small model pays
    page.wait_for_selector(READY, state="attached", timeout=60_000)
    page.focus('[name="answers.quality_ok"][value="false"]')
    page.keyboard.press("ArrowLeft")  # radio groups move with the arrow keys
    assert page.is_checked('[name="answers.quality_ok"][value="true"]')
    page.focus('[name="answers.cost_binding"][value="false"]')
    page.keyboard.press("ArrowLeft")
    page.wait_for_selector('.tool-result [data-result="recommendation.title"]:text-is("Fine-tune a smaller model")')
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.name")
    assert focused == "answers.goal"
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"  # focus is visible
