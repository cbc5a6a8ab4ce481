"""Lighthouse scores for / and /costs/: ``python -m bench.lighthouse``.

Runs the npm ``lighthouse`` pinned in bench/node (installed with ``npm ci`` on
first use) against Debian's Chromium (CHROME_PATH=/usr/bin/chromium), on the
real site built into a scratch folder and served locally with year-long
caching of hashed files, as the site's _headers asks of real hosts.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from .browser import serve
from .builds import run_child
from .corpus import ROOT

NODE = Path(__file__).parent / "node"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
FLAGS = "--headless=new --no-sandbox --disable-gpu --disable-background-networking --disable-component-update"


def scores(url: str, preset: str) -> dict[str, int]:
    if not (NODE / "node_modules" / ".bin" / "lighthouse").exists():
        subprocess.run(["npm", "ci", "--silent", "--no-audit", "--no-fund"], cwd=NODE, check=True)
    with tempfile.TemporaryDirectory() as scratch:
        report = Path(scratch) / "report.json"
        command = [str(NODE / "node_modules" / ".bin" / "lighthouse"), url, "--quiet", "--output=json",
                   f"--output-path={report}", f"--chrome-flags={FLAGS}", f"--only-categories={','.join(CATEGORIES)}"]
        if preset == "desktop":
            command.append("--preset=desktop")
        subprocess.run(command, check=True, env={**os.environ, "CHROME_PATH": "/usr/bin/chromium"},
                       capture_output=True, text=True)
        categories = json.loads(report.read_text())["categories"]
    return {name: round(categories[name]["score"] * 100) for name in CATEGORIES}


def main() -> int:
    scratch = Path(tempfile.mkdtemp(prefix="ftsite-lighthouse-"))
    try:
        site = scratch / "site"
        run_child("ftsite", ROOT, site)
        server, origin = serve(site)
        rows = []
        for path in ("/", "/costs/"):
            for preset in ("mobile", "desktop"):
                rows.append((path, preset, scores(origin + path, preset)))
        server.shutdown()
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    print(f"{'page':<10}{'preset':<9}" + "".join(f"{name:>16}" for name in CATEGORIES))
    for path, preset, found in rows:
        print(f"{path:<10}{preset:<9}" + "".join(f"{found[name]:>16}" for name in CATEGORIES))
    low = [(path, preset, name, value) for path, preset, found in rows for name, value in found.items() if value < 100]
    print("all 100" if not low else f"below 100: {low}")
    return 0 if not low else 1


if __name__ == "__main__":
    sys.exit(main())
