"""Browser figures: bytes shipped, engine ready cold and warm, input -> result.

Headless Debian Chromium through Playwright, against a local static server
that caches hashed files for a year, as the site's _headers asks real hosts
to. Every figure is taken beside the same page booting Pyodide the stock way
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


def boot_times(browser, origin: str, runs: int) -> dict:
    """Navigation -> engine ready, cold (fresh profile) and warm (second visit), and input -> result:
    the point figures shown, and the whole result (the Monte Carlo, the flips, the tornado) shown."""
    cold, warm, stall, inputs, full = [], [], [], [], []
    for _ in range(runs):
        context = browser.new_context(bypass_csp=True)  # lets the probes read performance marks
        context.add_init_script(STALL_PROBE)
        page = context.new_page()
        for label in ("cold", "warm"):
            page.goto(origin + "/costs/")
            page.wait_for_selector("html[data-engine=ready]", state="attached", timeout=120_000)
            ready = page.evaluate("performance.getEntriesByName('ftsite:engine-ready')[0].startTime")
            (cold if label == "cold" else warm).append(ready)
            if label == "cold":
                stall.append(page.evaluate("window.__ftsiteStall"))
        for value in ("12000", "34000", "56000"):
            page.evaluate("performance.clearMarks()")
            page.fill('[name="training.examples"]', value)
            page.wait_for_selector(f'[data-result="training.tokens"]:text-is("{int(value) * 200:,}")')
            inputs.append(page.evaluate("performance.getEntriesByName('ftsite:shown')[0].startTime"
                                        " - performance.getEntriesByName('ftsite:input')[0].startTime"))
            page.wait_for_function("performance.getEntriesByName('ftsite:full').length > 0")
            full.append(page.evaluate("performance.getEntriesByName('ftsite:full')[0].startTime"
                                      " - performance.getEntriesByName('ftsite:input')[0].startTime"))
        context.close()
    return {"cold_ms": statistics.median(cold), "warm_ms": statistics.median(warm),
            "stall_ms": max(stall), "input_ms": statistics.median(inputs), "full_ms": statistics.median(full)}


def engine_files(site: Path) -> list[Path]:
    """Every file the engine pages fetch beyond the page itself."""
    html = (site / "costs" / "index.html").read_text()
    names = dict(re.findall(r'data-engine-(worker|pyodide|stdlib|lock|catalog)="/([^"]*)"', html))
    folder = site / names["pyodide"]
    files = [site / names[key] for key in ("worker", "stdlib", "lock", "catalog")]
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
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            figures = {"ours": boot_times(browser, ours, runs), "stock": boot_times(browser, stock, runs)}
            browser.close()
    finally:
        ours_server.shutdown()
        stock_server.shutdown()
    figures["payload"] = sizes(engine_files(site))
    figures["stock_payload"] = sizes(engine_files(variant))  # the stock page also fetches the stock lock
    figures["pages"] = page_weights(site)
    return figures
