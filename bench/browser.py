"""Browser figures: bytes shipped, engine ready cold and warm, input -> result.

Headless Debian Chromium through Playwright, against a local static server
that caches hashed files for a year, as the site's _headers asks real hosts
to. Each run is a new persistent profile, so a repeat visit finds what a
reader's browser keeps: the HTTP cache, the compiled WebAssembly (which an
incognito context never keeps), and the engine's snapshot in Cache Storage. Every figure is taken beside the same page booting Pyodide the stock way
(its full .py standard library), in the same run, so the ratio holds on a
noisy machine even when the absolute times wander.
"""

from __future__ import annotations

import functools
import gzip
import json
import re
import shutil
import statistics
import subprocess
import tempfile
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from generator.bundle.policy import HASHED_FOLDERS, IMMUTABLE
from generator.bundle.runtime import load_runtime
from generator.bundle.wheel import build_wheel, engine_sources, lockfile

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run", "--disable-quic"]
PAGES = ["", "decide/", "costs/", "pricing/", "models/", "models/gpt-4o/"]
# Records the longest gap between animation frames: how long the page froze.
STALL_PROBE = """
(() => { let last = performance.now(); window.__ftsiteStall = 0;
  const tick = (now) => { window.__ftsiteStall = Math.max(window.__ftsiteStall, now - last); last = now;
    requestAnimationFrame(tick); };
  requestAnimationFrame(tick); })();
"""


class CachingHandler(SimpleHTTPRequestHandler):
    extensions_map = {**SimpleHTTPRequestHandler.extensions_map, ".mjs": "text/javascript",
                      ".js": "text/javascript", ".wasm": "application/wasm", ".whl": "application/zip"}

    def end_headers(self):
        immutable = self.path.split("/")[1] in HASHED_FOLDERS  # the site's _headers rule
        self.send_header("Cache-Control", IMMUTABLE if immutable else "no-cache")
        super().end_headers()

    def log_message(self, *args):
        pass


def serve(folder: Path) -> tuple[ThreadingHTTPServer, str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(CachingHandler, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


def stock_variant(site: Path, target: Path) -> Path:
    """The same site, its engine pages booting Pyodide the stock way: the full
    .py standard library, the package loader, a source-only wheel."""
    shutil.copytree(site, target)
    runtime = load_runtime()
    folder = target / "pyodide" / runtime.version
    (folder / "python_stdlib.zip").write_bytes(runtime.read("python_stdlib.zip"))
    wheel_name, wheel = build_wheel(engine_sources())
    (target / "engine" / "stock").mkdir()
    (target / "engine" / "stock" / wheel_name).write_bytes(wheel)
    (target / "engine" / "stock-lock.json").write_bytes(lockfile(runtime.lock_info, f"stock/{wheel_name}", wheel))
    shutil.copy(Path(__file__).with_name("stock_worker.js"), target / "assets" / "stock-worker.js")
    for page in ("decide/index.html", "costs/index.html"):
        path = target / page
        html = re.sub(r'data-engine-stdlib="[^"]*"', f'data-engine-stdlib="/pyodide/{runtime.version}/python_stdlib.zip"',
                      path.read_text())
        html = re.sub(r'data-engine-lock="[^"]*"', 'data-engine-lock="/engine/stock-lock.json"', html)
        html = re.sub(r'data-engine-worker="[^"]*"', 'data-engine-worker="/assets/stock-worker.js"', html)
        path.write_text(html)
    return target


MARKS = ("Object.fromEntries(performance.getEntriesByType('mark')"
         ".filter((m) => m.name.startsWith('ftsite:')).map((m) => [m.name.slice(7), m.startTime]))")
STEPS = ("boot:worker", "boot:imported", "boot:read", "boot:python", "boot:engine", "engine-ready")
# What can happen to the kept snapshot between visits, done in the page's own Cache Storage.
SPOIL = """async (fault) => {
  const cache = await caches.open("ftsite-engine");
  for (const request of await cache.keys()) {
    if (fault === "evicted") { await cache.delete(request); continue; }
    const response = await cache.match(request);
    const body = new Uint8Array(await response.arrayBuffer());
    body[body.length >> 1] ^= 0xff;
    await cache.put(request, new Response(body, { headers: response.headers }));
  }
}"""


def visit(page, url: str, kept: bool = False) -> dict:
    """Navigation -> engine ready, and the marks of the boot's steps; with
    ``kept``, also waits until the snapshot for the next visit is stored."""
    page.goto(url)
    page.wait_for_selector("html[data-engine=ready]", state="attached", timeout=120_000)
    if kept:
        page.wait_for_selector("html[data-engine-snapshot]", state="attached", timeout=60_000)
        if page.get_attribute("html", "data-engine-snapshot") != "kept":
            raise RuntimeError("the engine kept no snapshot: " + str(page.evaluate(
                "performance.getEntriesByName('ftsite:snapshot-kept')[0].detail.error")))
    marks = page.evaluate(MARKS)
    detail = page.evaluate("performance.getEntriesByName('ftsite:engine-ready')[0].detail") or {}
    kept_detail = page.evaluate("(performance.getEntriesByName('ftsite:snapshot-kept')[0] || {}).detail") or {}
    return {"marks": marks, "boot": detail.get("boot"), "kept": kept_detail}


def one_run(playwright, origin: str, snapshots: bool) -> dict:
    """One new profile's visits to /costs/: cold (nothing kept), and warm (a
    repeat visit, the HTTP cache and compiled code kept, as a reader's browser
    keeps them); with ``snapshots``, warm from the kept snapshot, and warm when
    it is gone (evicted) or spoiled (one byte altered): both boot the normal
    way. Then three inputs: the point figures shown, and the whole result (the
    Monte Carlo, the flips, the tornado) shown."""
    seen: dict[str, list] = {"cold": [], "warm": [], "evicted": [], "spoiled": [], "stall": [], "input": [], "full": []}
    url = origin + "/costs/"
    with tempfile.TemporaryDirectory() as profile:
        context = playwright.chromium.launch_persistent_context(profile, executable_path=CHROMIUM, args=ARGS,
                                                                bypass_csp=True)  # lets the probes read marks
        context.add_init_script(STALL_PROBE)
        page = context.new_page()
        seen["cold"].append(visit(page, url, kept=snapshots))
        seen["stall"].append(page.evaluate("window.__ftsiteStall"))
        for _ in range(2):
            seen["warm"].append(visit(page, url))
        if snapshots:
            for fault in ("evicted", "spoiled"):
                page.evaluate(SPOIL, fault)
                seen[fault].append(visit(page, url, kept=True))
        for value in ("12000", "34000", "56000"):
            page.evaluate("performance.clearMarks()")
            page.fill('[name="training.examples"]', value)
            page.wait_for_selector(f'[data-result="training.tokens"]:text-is("{int(value) * 200:,}")')
            seen["input"].append(page.evaluate("performance.getEntriesByName('ftsite:shown')[0].startTime"
                                               " - performance.getEntriesByName('ftsite:input')[0].startTime"))
            page.wait_for_function("performance.getEntriesByName('ftsite:full').length > 0")
            seen["full"].append(page.evaluate("performance.getEntriesByName('ftsite:full')[0].startTime"
                                              " - performance.getEntriesByName('ftsite:input')[0].startTime"))
        context.close()
    return seen


def summary(runs: list[dict]) -> dict:
    """Medians over the runs: each kind of visit's steps, the inputs, the kept snapshot's cost."""
    seen = {key: [item for run in runs for item in run[key]] for key in runs[0]}
    figures = {"stall_ms": max(seen["stall"]), "input_ms": statistics.median(seen["input"]),
               "full_ms": statistics.median(seen["full"])}
    for name in ("cold", "warm", "evicted", "spoiled"):
        if seen[name]:
            figures[name] = {step: statistics.median(v["marks"][step] for v in seen[name] if step in v["marks"])
                             for step in STEPS if any(step in v["marks"] for v in seen[name])}
            figures[name]["boots"] = sorted({v["boot"] or "normal" for v in seen[name]})
    kept = [v["kept"] for v in seen["cold"] if v["kept"].get("size")]
    if kept:
        figures["kept"] = {key: statistics.median(k[key] for k in kept)
                           for key in ("size", "made_ms", "encoded_ms", "stored_ms")}
    return figures


def engine_files(site: Path) -> list[Path]:
    """Every file the engine pages fetch beyond the page itself."""
    html = (site / "costs" / "index.html").read_text()
    names = dict(re.findall(r'data-engine-(worker|pyodide|stdlib|lock|catalog|boot-module|snapshots)="/([^"]*)"', html))
    folder = site / names["pyodide"]
    files = [site / names[key] for key in ("worker", "stdlib", "lock", "catalog", "boot-module", "snapshots")]
    files += [folder / name for name in ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm")]
    lock = json.loads((site / names["lock"]).read_text())
    return files + [(site / names["lock"]).parent / lock["packages"]["ftengine"]["file_name"]]


def sizes(files: list[Path]) -> dict:
    raw = sum(f.stat().st_size for f in files)
    gz = sum(len(gzip.compress(f.read_bytes(), 9)) for f in files)
    script = ("const z=require('zlib'),fs=require('fs');let t=0;for(const f of process.argv.slice(1))"
              "t+=z.brotliCompressSync(fs.readFileSync(f),{params:{[z.constants.BROTLI_PARAM_QUALITY]:11}}).length;"
              "console.log(t)")
    br = int(subprocess.run(["node", "-e", script, *map(str, files)], capture_output=True, text=True).stdout)
    return {"raw": raw, "gzip": gz, "brotli": br}


def page_weights(site: Path) -> dict[str, int]:
    """Gzipped bytes a page loads without the engine: its HTML, stylesheet, icon, scripts."""
    weights = {}
    for url in PAGES:
        html = (site / url / "index.html").read_text()
        files = [site / url / "index.html"]
        files += [site / ref for ref in re.findall(r'(?:href|src)="/(assets/[^"]+)"', html)]
        weights["/" + url] = sum(len(gzip.compress(f.read_bytes(), 9)) for f in files)
    return weights


def browser_figures(site: Path, scratch: Path, runs: int) -> dict:
    from playwright.sync_api import sync_playwright

    variant = stock_variant(site, scratch / "stock-site")
    ours_server, ours = serve(site)
    stock_server, stock = serve(variant)
    try:
        with sync_playwright() as playwright:
            measured = {"ours": [], "stock": []}
            for _ in range(runs):  # side by side, run after run: the machine's load falls on both alike
                measured["ours"].append(one_run(playwright, ours, snapshots=True))
                measured["stock"].append(one_run(playwright, stock, snapshots=False))
        figures = {name: summary(seen) for name, seen in measured.items()}
    finally:
        ours_server.shutdown()
        stock_server.shutdown()
    figures["payload"] = sizes(engine_files(site))
    figures["stock_payload"] = sizes(engine_files(variant))  # the stock page also fetches the stock lock
    figures["pages"] = page_weights(site)
    return figures
