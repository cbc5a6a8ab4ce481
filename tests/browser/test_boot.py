"""How the engine boots in the browser: the runtime reaching WebAssembly as
the browser's own response, and the memory snapshot a repeat visit restores."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from .pages import READY, open_page

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
