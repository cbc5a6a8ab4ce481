"""Shared fixtures: a scratch copy of the real project, and ftsite run for real.

Tests build into temporary folders and run the ``ftsite`` command in a
subprocess, so they see exactly what an editor sees: output files, messages
on stderr and exit codes.
"""

from __future__ import annotations

import functools
import hashlib
import os
import shutil
import subprocess
import sys
import threading
from dataclasses import dataclass
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent
NODE_TOOLS = TESTS / "node"  # npm tools the tests drive: axe-core, the Pyodide parity runner
PROJECT_FOLDERS = ("content", "data", "templates")
# No test reads the clock: every build a test runs is dated 2026-12-01, through
# SOURCE_DATE_EPOCH, which subprocesses inherit; browsers get the same day.
TODAY = "2026-12-01"
os.environ["SOURCE_DATE_EPOCH"] = "1796083200"  # set outright: an outer value must not change the tests' day


@dataclass
class Run:
    code: int
    out: str
    err: str


def run_ftsite(*args: str, cwd: Path | None = None, stdin: str | None = None, env: dict | None = None) -> Run:
    """``python -m generator ARGS`` in a subprocess."""
    done = subprocess.run([sys.executable, "-m", "generator", *args], cwd=cwd or ROOT, input=stdin,
                          capture_output=True, text=True, timeout=300, env={**os.environ, **(env or {})})
    return Run(done.returncode, done.stdout, done.stderr)


def copy_project(target: Path) -> Path:
    """The real content, data and templates, copied into ``target``."""
    target.mkdir(parents=True, exist_ok=True)
    for name in PROJECT_FOLDERS:
        shutil.copytree(ROOT / name, target / name)
    return target


def tree_digest(folder: Path) -> dict[str, str]:
    """relative path -> sha256 of every file under ``folder``, and "dir/" ->
    "" for every folder, so an empty folder left behind is a difference too."""
    return {p.relative_to(folder).as_posix() + ("/" if p.is_dir() else ""):
            "" if p.is_dir() else hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.rglob("*"))}


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return copy_project(tmp_path / "project")


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    """The real project built once, at the root base URL, for read-only checks."""
    out = tmp_path_factory.mktemp("built") / "site"
    result = run_ftsite("build", "--project", str(ROOT), "--out", str(out))
    assert result.code == 0, result.err
    return out


class _StaticHandler(SimpleHTTPRequestHandler):
    """A plain static host: right types for modules and WebAssembly, no logs."""

    extensions_map = {**SimpleHTTPRequestHandler.extensions_map,
                      ".mjs": "text/javascript", ".js": "text/javascript", ".wasm": "application/wasm",
                      ".whl": "application/zip", ".json": "application/json"}

    def log_message(self, *args):
        pass


@pytest.fixture
def static_server():
    """Serves a folder on 127.0.0.1 (a free port) like a plain static host; yields a starter."""
    servers = []

    def start(folder: Path) -> str:
        handler = functools.partial(_StaticHandler, directory=str(folder))
        server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_address[1]}"

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-quic"]


def missing_tool(what: str, fix: str) -> None:
    """A tool a test needs is not here: skipped locally, a failure in CI
    (CI=true), never a silent skip where the run is meant to prove it."""
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI=true but {what} is missing: {fix}")
    pytest.skip(f"{what} is not here ({fix})")


@pytest.fixture(scope="session")
def chromium():
    """Debian's headless Chromium through Playwright."""
    if not CHROMIUM.exists():
        missing_tool("/usr/bin/chromium", "install Debian's chromium package")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def pytest_collection_modifyitems(items):
    """The browser tests run on one worker, so they share one Chromium and one
    built site, and the slowest tests sit in one queue beside the rest."""
    browser = TESTS / "browser"
    for item in items:
        if browser in Path(item.path).parents:
            item.add_marker(pytest.mark.xdist_group("browser"))
