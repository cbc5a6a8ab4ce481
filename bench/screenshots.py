"""Screenshots of what a reader sees, to look at before resolving anything visual.

    .venv/bin/python -m bench.screenshots [--out DIR] [--pages costs/,decide/] [--widths 390,1280]

Builds the site into a scratch folder, serves it on 127.0.0.1, and saves a
full-page PNG of each page at each width, light and dark, once the live
engine has answered (or failed), into DIR (default: screenshots/, not
committed).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

from .browser import ARGS, CHROMIUM, serve

ROOT = Path(__file__).resolve().parent.parent
READY = "html[data-engine=ready], html[data-engine=failed], html:not([data-engine])"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.screenshots")
    parser.add_argument("--out", default=str(ROOT / "screenshots"))
    parser.add_argument("--pages", default=",decide/,costs/")
    parser.add_argument("--widths", default="390,1280")
    parser.add_argument("--schemes", default="light,dark")
    args = parser.parse_args(argv)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as scratch:
        site = Path(scratch) / "site"
        subprocess.run([sys.executable, "-m", "generator", "build", "--project", str(ROOT), "--out", str(site)],
                       check=True)
        server, origin = serve(site)
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
                for width in (int(w) for w in args.widths.split(",")):
                    for scheme in args.schemes.split(","):
                        context = browser.new_context(viewport={"width": width, "height": 900},
                                                      color_scheme=scheme)
                        page = context.new_page()
                        for path in args.pages.split(","):
                            page.goto(f"{origin}/{path}")
                            page.wait_for_selector(READY, state="attached", timeout=60_000)
                            page.wait_for_timeout(300)  # the first live result's frame
                            name = (path.strip("/").replace("/", "-") or "index") + f"-{width}-{scheme}.png"
                            page.screenshot(path=str(out / name), full_page=True)
                            print(out / name)
                        context.close()
                browser.close()
        finally:
            server.shutdown()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
