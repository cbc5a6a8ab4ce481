"""How the engine boots in the browser: the runtime reaching WebAssembly as
the browser's own response, and the memory snapshot a repeat visit restores."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

from conftest import TODAY, copy_project, run_ftsite
from generator.engine.api import Session
from generator.pipeline.data import parse_data
from generator.pipeline.sources import read_sources

from .pages import READY, expected, open_page, result

# Logs what the worker hands WebAssembly: the browser keeps compiled code only
# for a response it fetched itself, from a URL.
WASM_PROBE = """
const instantiate = WebAssembly.instantiateStreaming;
WebAssembly.instantiateStreaming = async (source, imports) => {
  const response = await source;
  console.log("wasm-response " + JSON.stringify({ url: response.url, type: response.type }));
  return instantiate.call(WebAssembly, response, imports);
};
"""


def probed_site(built_site: Path, target: Path, probe: str) -> Path:
    """The built site, its /costs/ worker preceded by a probe module."""
    shutil.copytree(built_site, target)
    page = target / "costs" / "index.html"
    html = page.read_text()
    worker = re.search(r'data-engine-worker="/assets/([^"]+)"', html).group(1)
    (target / "assets" / "probe.js").write_text(probe)
    (target / "assets" / "probed-worker.js").write_text(f'import "./probe.js";\nimport "./{worker}";\n')
    page.write_text(html.replace(f'data-engine-worker="/assets/{worker}"', 'data-engine-worker="/assets/probed-worker.js"'))
    return target


def test_the_runtime_reaches_webassembly_as_the_browsers_own_response(chromium, built_site, static_server, tmp_path):
    """A made-up Response (a wrapper counting the download) has no URL, so the
    browser compiles the runtime afresh on every visit: 0.4 s of each warm boot."""
    origin = static_server(probed_site(built_site, tmp_path / "site", WASM_PROBE))
    console = []
    page, _, problems = open_page(chromium, origin + "/costs/", console=console)
    page.wait_for_selector(READY, state="attached", timeout=60_000)
    assert page.get_attribute("html", "data-engine") == "ready", problems
    seen = [line for line in console if line.startswith("wasm-response ")]
    assert seen and all('"url":"' + origin + '/pyodide/' in line and '"type":"basic"' in line for line in seen), seen


# A repeat visit restores the snapshot the first one kept. Each test opens its
# own browser context, whose Cache Storage starts empty.
FIELDS = {"training.examples": "20000", "usage.requests_per_month": "250000"}
LINK = "/costs/?training.examples=20000&usage.requests_per_month=250000"
FIGURES = ("training.cost_per_run_usd", "training.total_usd", "costs.monthly_usd.prompt", "costs.horizon_usd.fine_tune",
           "break_even.requests_per_month", "recommendation.title")
DROPPED = "ftsite: the kept engine snapshot was dropped: "

# What a kept snapshot can suffer, done to it in the page's own Cache Storage.
SPOIL = """async (fault) => {
  const cache = await caches.open("ftsite-engine");
  const [request] = await cache.keys();
  const response = await cache.match(request);
  const headers = new Headers(response.headers);
  let body = new Uint8Array(await response.arrayBuffer());
  const hex = async (bytes) => Array.from(new Uint8Array(await crypto.subtle.digest("SHA-256", bytes)),
                                           (b) => b.toString(16).padStart(2, "0")).join("");
  if (fault === "corrupted") body[body.length >> 1] ^= 0xff;  // one byte of Python's memory, its hash unchanged
  if (fault === "truncated") body = body.slice(0, body.length >> 1);
  if (fault === "mismatched") {
    headers.set("x-ftsite-key", headers.get("x-ftsite-key").replace(/catalog\\.[0-9a-f]+\\.json/, "catalog.0123456789.json"));
  }
  if (fault === "refused") {  // a copy that passes every check of ours: Pyodide's own magic number is wrong
    const pages = new DataView(body.buffer).getUint32(12, true);
    body[16 + pages * 4] ^= 0xff;
    headers.set("x-ftsite-sha256", await hex(body));
  }
  await cache.put(request, new Response(body, { headers }));
  return (await cache.keys()).length;
}"""


def ready_page(page, console: list, url: str | None = None) -> tuple[str, list]:
    """The page at ``url`` once its engine is ready: how it booted, and the
    worker's word on any kept snapshot it dropped."""
    if url:
        console.clear()
        page.goto(url)
    page.wait_for_selector(READY, state="attached", timeout=60_000)
    assert page.get_attribute("html", "data-engine") == "ready"
    return page.get_attribute("html", "data-engine-boot"), [line for line in console if line.startswith(DROPPED)]


def kept_snapshot(page) -> None:
    page.wait_for_selector("html[data-engine-snapshot]", state="attached", timeout=30_000)
    assert page.get_attribute("html", "data-engine-snapshot") == "kept"


def figures_of(page, want: dict) -> dict:
    page.wait_for_selector(f'.tool-result [data-result="training.tokens"]:text-is("{want["training.tokens"]}")')
    return {key: result(page, key) for key in FIGURES}


def test_a_second_visit_restores_the_kept_snapshot_and_shows_the_same_figures(chromium, built_site, static_server,
                                                                             session):
    origin = static_server(built_site)
    console = []
    page, _, problems = open_page(chromium, origin + LINK, console=console)
    assert ready_page(page, console) == ("normal", [])
    want = expected(session, FIELDS)
    first = figures_of(page, want)
    assert first == {key: want[key] for key in FIGURES}
    kept_snapshot(page)
    stored = page.evaluate(SIZE)
    assert 8e6 < stored["length"] < stored["memory"] <= 64 * 1024 * 1024, stored  # non-zero pages only

    assert ready_page(page, console, origin + LINK) == ("snapshot", [])
    assert figures_of(page, want) == first
    page.fill('[name="training.runs"]', "8")  # and it goes on answering
    again = expected(session, {**FIELDS, "training.runs": "8"})
    page.wait_for_selector(f'.tool-result [data-result="training.total_usd"]:text-is("{again["training.total_usd"]}")')
    assert problems == []


SIZE = """async () => {
  const cache = await caches.open("ftsite-engine");
  const [request] = await cache.keys();
  const response = await cache.match(request);
  return { length: Number(response.headers.get("x-ftsite-length")), memory: Number(response.headers.get("x-ftsite-memory")) };
}"""


SPOILED = {
    "corrupted": "the kept snapshot fails its SHA-256",
    "truncated": "the kept snapshot is short",
    "mismatched": "the kept snapshot was made for other files",
    "refused": "Snapshot has invalid magic number",
}


def test_a_spoiled_snapshot_falls_back_to_a_normal_boot_with_the_same_figures(chromium, built_site, static_server,
                                                                              session):
    """Each fault in turn, in one context: every fallback keeps a good
    snapshot, which the next fault spoils, and the last is restored."""
    origin = static_server(built_site)
    console = []
    page, _, problems = open_page(chromium, origin + LINK, console=console)
    ready_page(page, console)
    want = expected(session, FIELDS)
    for fault, why in SPOILED.items():
        kept_snapshot(page)
        assert page.evaluate(SPOIL, fault) == 1, fault
        boot, dropped = ready_page(page, console, origin + LINK)
        assert boot == "normal" and len(dropped) == 1 and dropped[0].startswith(DROPPED + why), (fault, dropped)
        assert figures_of(page, want) == {key: want[key] for key in FIGURES}, fault
    kept_snapshot(page)  # the spoiled one is dropped, and a good one kept in its place
    assert ready_page(page, console, origin + LINK) == ("snapshot", [])
    assert figures_of(page, want) == {key: want[key] for key in FIGURES}
    assert problems == []


def test_after_a_catalog_change_the_old_snapshot_is_not_used(chromium, built_site, static_server, tmp_path):
    """The same address serves a rebuilt site whose default training offer
    costs twice as much: the snapshot of the old catalog would show old prices."""
    served = tmp_path / "served"
    shutil.copytree(built_site, served)
    origin = static_server(served)
    console = []
    page, _, problems = open_page(chromium, origin + LINK, console=console)
    ready_page(page, console)
    kept_snapshot(page)
    old = result(page, "training.cost_per_run_usd")
    old_catalog = page.get_attribute("html", "data-engine-catalog")

    project = copy_project(tmp_path / "project")
    offers = project / "data" / "offers.yaml"
    text = offers.read_text()
    head, tail = text.split("  - id: fireworks-lora-70b", 1)
    offers.write_text(head + "  - id: fireworks-lora-70b" + tail.replace("per_1m: 3.00", "per_1m: 6.00", 1))
    rebuilt = tmp_path / "rebuilt"
    run = run_ftsite("build", "--project", str(project), "--out", str(rebuilt))
    assert run.code == 0, run.err
    shutil.rmtree(served)
    shutil.copytree(rebuilt, served)

    console.clear()
    page.reload()  # the new page for sure: the test server sends no Cache-Control, and a browser may keep HTML a while
    assert ready_page(page, console) == (
        "normal", [DROPPED + "the kept snapshot was made for other files; booting the normal way"])
    assert page.get_attribute("html", "data-engine-catalog") != old_catalog
    new = Session(json.dumps(parse_data(read_sources(project).data, TODAY).plain), TODAY)
    want = expected(new, FIELDS)
    assert figures_of(page, want) == {key: want[key] for key in FIGURES}
    assert want["training.cost_per_run_usd"] != old
    assert problems == []


# No Cache Storage here (a plain-HTTP origin, storage switched off): the
# worker's caches.open fails as a browser's does then.
NO_CACHE_STORAGE = """
Object.defineProperty(self, "caches", { configurable: true,
  value: { open: () => Promise.reject(new DOMException("The operation is insecure.", "SecurityError")) } });
"""

# Trouble the runtime reports only as an uncaught error, while a kept snapshot is being restored.
TROUBLE_WHILE_RESTORING = """
const instantiate = WebAssembly.instantiateStreaming;
WebAssembly.instantiateStreaming = async (source, imports) => {
  if ((await (await caches.open("ftsite-engine")).keys()).length) {
    setTimeout(() => { throw new Error("trouble while restoring"); }, 0);
  }
  return instantiate.call(WebAssembly, await source, imports);
};
"""


def test_without_cache_storage_every_visit_boots_the_normal_way_and_keeps_nothing(chromium, built_site,
                                                                                   static_server, session, tmp_path):
    origin = static_server(probed_site(built_site, tmp_path / "site", NO_CACHE_STORAGE))
    console = []
    page, _, problems = open_page(chromium, origin + LINK, console=console)
    want = expected(session, FIELDS)
    for url in (None, origin + LINK):
        assert ready_page(page, console, url) == ("normal", [])
        assert figures_of(page, want) == {key: want[key] for key in FIGURES}
        page.wait_for_timeout(1500)  # past the quiet moment a snapshot waits for
        assert page.get_attribute("html", "data-engine-snapshot") is None  # none made, so none failed to store
    assert problems == []


def test_trouble_while_restoring_falls_back_instead_of_failing_the_page(chromium, built_site, static_server, session,
                                                                        tmp_path):
    origin = static_server(probed_site(built_site, tmp_path / "site", TROUBLE_WHILE_RESTORING))
    console = []
    page, _, problems = open_page(chromium, origin + LINK, console=console)
    ready_page(page, console)
    kept_snapshot(page)
    boot, dropped = ready_page(page, console, origin + LINK)
    assert (boot, dropped) == ("normal", [DROPPED + "trouble while restoring; booting the normal way"])
    want = expected(session, FIELDS)
    assert figures_of(page, want) == {key: want[key] for key in FIGURES}
    assert problems == []
