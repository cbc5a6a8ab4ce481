"""``ftsite serve``: build, serve, watch, rebuild, reload the browser.

Pages are served by a small handler of our own, so the livereload client can
be injected as an external script (the pages' Content-Security-Policy refuses
inline ones, which is how livereload's own server injects it) and so a failed
rebuild can show its errors in the browser. The livereload package provides
the websocket protocol and its client. Changes are found by polling the
source folders every 50 ms: a stat of each file, cheap next to a rebuild.
A change to the generator's own code restarts the process, so the engine
wheel, and the results computed with it, are always the current code's.
"""

from __future__ import annotations

import html
import os
import signal
import sys
import threading
import time
import webbrowser
from pathlib import Path
from urllib.parse import unquote

from livereload.handlers import LiveReloadHandler, LiveReloadJSHandler
from tornado import ioloop, web

from .errors import BuildError
from .incremental import Project, describe_changes
from .policy import HASHED_FOLDERS, IMMUTABLE, SECURITY_HEADERS
from .runtime import load_runtime
from .sources import FOLDERS

PACKAGE = Path(__file__).resolve().parent
POLL_MS = 50
RELOAD_SCRIPT = b'<script src="/livereload.js"></script>'
TYPES = {
    ".html": "text/html; charset=utf-8", ".css": "text/css; charset=utf-8", ".js": "text/javascript; charset=utf-8",
    ".mjs": "text/javascript; charset=utf-8", ".json": "application/json", ".wasm": "application/wasm",
    ".svg": "image/svg+xml", ".xml": "application/xml", ".txt": "text/plain; charset=utf-8",
    ".whl": "application/zip", ".zip": "application/zip", ".png": "image/png", ".ico": "image/x-icon",
    ".woff2": "font/woff2", ".webmanifest": "application/manifest+json",
}


class Watcher:
    """Snapshots (mtime, size) of every file under the watched folders."""

    def __init__(self, folders: list[Path]):
        self.folders = folders
        self.seen = self._snapshot()
        self.filepath = None  # livereload's handler logs this

    def _snapshot(self) -> dict[Path, tuple[int, int]]:
        found = {}
        for folder in self.folders:
            for directory, subfolders, files in os.walk(folder):
                subfolders[:] = [d for d in subfolders if not d.startswith(".") and d != "__pycache__"]
                for name in files:
                    path = Path(directory) / name
                    try:
                        stat = path.stat()
                    except FileNotFoundError:
                        continue
                    found[path] = (stat.st_mtime_ns, stat.st_size)
        return found

    def changes(self) -> list[Path]:
        now = self._snapshot()
        changed = sorted(p for p in now.keys() | self.seen.keys() if now.get(p) != self.seen.get(p))
        self.seen = now
        return changed


class LiveSite:
    """What the handlers serve: the output folder, or the last build's errors."""

    def __init__(self, out: Path):
        self.out = out.resolve()
        self.error: BuildError | None = None

    def error_page(self) -> bytes:
        items = "".join(f"<li><code>{html.escape(str(e))}</code></li>" for e in self.error.errors)
        return (b"<!doctype html><html lang=en><head><meta charset=utf-8><title>Build failed</title></head>"
                b"<body><main><h1>The last rebuild failed</h1>"
                b"<p>Fix the file and save: this page reloads when the site builds again.</p><ul>"
                + items.encode() + b"</ul></main></body></html>")


class SiteHandler(web.RequestHandler):
    def initialize(self, site: LiveSite):
        self.site = site

    def set_default_headers(self):
        for name, value in SECURITY_HEADERS.items():
            self.set_header(name, value)

    def head(self, path: str):
        self.get(path, body=False)

    def get(self, path: str, body: bool = True):
        relative = unquote(path)
        parts = [p for p in relative.split("/") if p not in ("", ".")]
        if ".." in parts or "\\" in relative or "\0" in relative:
            raise web.HTTPError(403)
        target = self.site.out.joinpath(*parts)
        if target.is_dir():
            if path and not path.endswith("/"):
                return self.redirect("/" + path + "/", permanent=False)
            target = target / "index.html"
        if self.site.error is not None and target.suffix == ".html":
            return self._send(self.site.error_page(), ".html", 500, body)
        real = target.resolve()
        if not real.is_relative_to(self.site.out):
            raise web.HTTPError(403)
        if not real.is_file():
            missing = self.site.out / "404.html"
            if not missing.is_file():
                raise web.HTTPError(404)
            return self._send(missing.read_bytes(), ".html", 404, body)
        self._send(real.read_bytes(), real.suffix, 200, body, cache=_immutable(parts))

    def _send(self, data: bytes, suffix: str, status: int, body: bool, cache: bool = False):
        if suffix == ".html":
            data = data.replace(b"</body>", RELOAD_SCRIPT + b"</body>", 1)
        self.set_status(status)
        self.set_header("Content-Type", TYPES.get(suffix, "application/octet-stream"))
        self.set_header("Cache-Control", IMMUTABLE if cache else "no-cache")
        self.set_header("Content-Length", len(data))
        if body:
            self.write(data)

    def write_error(self, status_code: int, **kwargs):
        self.set_header("Content-Type", "text/plain; charset=utf-8")
        self.finish(f"{status_code} {self._reason}\n")


def _immutable(parts: list[str]) -> bool:
    """Files whose URL changes with their bytes: versioned Pyodide, hashed assets and wheels."""
    return bool(parts) and parts[0] in HASHED_FOLDERS


class Reloader(LiveReloadHandler):
    """livereload's websocket; ``reload_all`` skips its 3-second throttle,
    which would leave the browser on a stale page after quick edits."""

    @classmethod
    def reload_all(cls) -> None:
        cls.reload_waiters("*")


def serve(root: Path, out: Path, host: str, port: int, open_browser: bool, pyodide_dir: Path | None) -> int:
    project = Project(root, out, "/", load_runtime(pyodide_dir))
    site = LiveSite(out)
    watcher = Watcher([root / name for name in FOLDERS] + [PACKAGE])
    Reloader.watcher = watcher
    app = web.Application([(r"/livereload", Reloader), (r"/livereload.js", LiveReloadJSHandler),
                           (r"/(.*)", SiteHandler, {"site": site})], log_function=lambda handler: None)
    try:
        server = app.listen(port, address=host)
    except OSError as error:
        print(f"ftsite serve: cannot listen on {host}:{port}: {error.strerror}", file=sys.stderr)
        return 1
    _build(lambda: project.build_all(), site)
    loop = ioloop.IOLoop.current()
    address = f"http://{host}:{port}/"
    print(f"ftsite: serving {out} at {address} (Ctrl-C to stop)", flush=True)

    def poll():
        changed = watcher.changes()
        if not changed:
            return
        if any(path.is_relative_to(PACKAGE) for path in changed):
            print(f"ftsite: the generator's code changed ({describe_changes(PACKAGE.parent, changed)}); restarting", flush=True)
            server.stop()
            os.environ["FTSITE_RESTARTED"] = "1"
            os.execv(sys.executable, [sys.executable, *sys.orig_argv[1:]])
        _build(lambda: project.rebuild(changed), site)
        Reloader.reload_all()

    ioloop.PeriodicCallback(poll, POLL_MS).start()
    stop = lambda *_: loop.add_callback_from_signal(loop.stop)  # noqa: E731 - a signal handler
    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    if open_browser:
        threading.Timer(0.5, webbrowser.open, [address]).start()
    if os.environ.pop("FTSITE_RESTARTED", None):
        loop.call_later(1.5, Reloader.reload_all)  # clients reconnect about a second after a restart
    loop.start()
    server.stop()
    print("ftsite: stopped", flush=True)
    return 0


def _build(run, site: LiveSite) -> None:
    """Runs a build; on failure the server keeps going and shows the errors."""
    try:
        outcome = run()
    except BuildError as error:
        site.error = error
        stamp = time.strftime("%H:%M:%S")
        print(f"{stamp} ftsite: rebuild failed, {len(error.errors)} error(s):", flush=True)
        for item in error.errors:
            print(f"  {item}", flush=True)
        return
    site.error = None
    print(f"{time.strftime('%H:%M:%S')} {outcome.line()}", flush=True)
