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
import subprocess
import sys
import threading
import time
import webbrowser
from pathlib import Path
from urllib.parse import unquote

from livereload.handlers import LiveReloadHandler, LiveReloadJSHandler
from tornado import ioloop, web

from ..errors import BuildError, SourceError
from ..pipeline.build import build
from ..pipeline.cache import Cache
from ..bundle.policy import HASHED_FOLDERS, IMMUTABLE, SECURITY_HEADERS
from ..pipeline.sources import FOLDERS
from ..pipeline.write import OutputLock, check_target
from . import build_date, output_folder

PACKAGE = Path(__file__).resolve().parents[1]
POLL_MS = 50
CHUNK = 64 * 1024
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

    async def head(self, path: str):
        await self.get(path, body=False)

    async def get(self, path: str, body: bool = True):
        relative = unquote(path)
        parts = [p for p in relative.split("/") if p not in ("", ".")]
        if ".." in parts or "\\" in relative or "\0" in relative:
            raise web.HTTPError(403)
        target = self.site.out.joinpath(*parts)
        try:
            is_dir = target.is_dir()
            if is_dir:
                target = target / "index.html"
            if self.site.error is not None and (is_dir or target.suffix in ("", ".html")):
                return self._send(self.site.error_page(), ".html", 500, body)
            if is_dir and parts and not path.endswith("/"):
                # built from the cleaned parts: "//costs" must not become a protocol-relative "//costs/"
                return self.redirect("/" + "/".join(parts) + "/", permanent=False)
            real = target.resolve()
            if not real.is_relative_to(self.site.out):
                raise web.HTTPError(403)
            if not real.is_file():
                return self._not_found(body)
            if real.suffix == ".html":
                return self._send(real.read_bytes(), ".html", 200, body)
            await self._stream(real, body, cache=_immutable(parts))
        except OSError:  # a name too long for the file system, a file gone mid-read
            if not self._headers_written:
                self.clear()
                self._not_found(body)

    def _not_found(self, body: bool):
        missing = self.site.out / "404.html"
        if not missing.is_file():
            raise web.HTTPError(404)
        self._send(missing.read_bytes(), ".html", 404, body)

    def _send(self, data: bytes, suffix: str, status: int, body: bool, cache: bool = False):
        if suffix == ".html":
            data = data.replace(b"</body>", RELOAD_SCRIPT + b"</body>", 1)
        self.set_status(status)
        self.set_header("Content-Type", TYPES.get(suffix, "application/octet-stream"))
        self.set_header("Cache-Control", IMMUTABLE if cache else "no-cache")
        self.set_header("Content-Length", len(data))
        if body:
            self.write(data)

    async def _stream(self, path: Path, body: bool, cache: bool):
        """A file in chunks, each waiting for the last to leave: a slow reader
        holds one chunk of memory, not the whole file."""
        with path.open("rb") as file:
            size = os.fstat(file.fileno()).st_size
            self.set_header("Content-Type", TYPES.get(path.suffix, "application/octet-stream"))
            self.set_header("Cache-Control", IMMUTABLE if cache else "no-cache")
            self.set_header("Content-Length", size)
            if not body:
                return
            while chunk := file.read(CHUNK):
                self.write(chunk)
                await self.flush()

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


def run(args) -> int:
    return serve(args.project.resolve(), output_folder(args), args.host, args.port, args.open, args.pyodide_dir,
                 build_date(args).isoformat())


def serve(root: Path, out: Path, host: str, port: int, open_browser: bool, pyodide_dir: Path | None,
          today: str) -> int:
    check_target(out, root)
    with OutputLock(out):  # held while serving: a build into the same folder stops and says why
        return _serve(root, out, host, port, open_browser, pyodide_dir, today)


def _serve(root: Path, out: Path, host: str, port: int, open_browser: bool, pyodide_dir: Path | None,
           today: str) -> int:
    project = Rebuilds(root, out, today, pyodide_dir)
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
    _build(project, None, site)
    loop = ioloop.IOLoop.current()
    address = f"http://{host}:{port}/"
    print(f"ftsite: serving {out} at {address} (Ctrl-C to stop)", flush=True)

    def poll():
        changed = watcher.changes()
        if not changed:
            return
        if any(path.is_relative_to(PACKAGE) for path in changed):
            what = describe_changes(PACKAGE.parent, changed)
            broken = generator_errors()
            if broken:
                site.error = BuildError(broken)
                print(f"ftsite: the generator's code changed ({what}) but does not load; not restarting:", flush=True)
                for item in broken:
                    print(f"  {item}", flush=True)
                Reloader.reload_all()
                return
            print(f"ftsite: the generator's code changed ({what}); restarting", flush=True)
            server.stop()
            os.environ["FTSITE_RESTARTED"] = "1"
            os.execv(sys.executable, [sys.executable, *sys.orig_argv[1:]])
        _build(project, changed, site)
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


class Rebuilds:
    """The project's builds while serving: the same ``build()`` as ``ftsite
    build``, with a Cache of what it may reuse."""

    def __init__(self, root: Path, out: Path, today: str, pyodide_dir: Path | None):
        self.root, self.out, self.today, self.pyodide_dir = root, out, today, pyodide_dir
        self.cache = Cache()

    def run(self, changed: list[Path] | None) -> str:
        """One build; the line serve prints for it."""
        started = time.perf_counter()
        report = build(self.root, self.out, self.today, "/", self.pyodide_dir, self.cache, changed)
        what = describe_changes(self.root, changed) if changed else "full build"
        ms = (time.perf_counter() - started) * 1000
        line = (f"{what}: {report.rendered} page{'s' if report.rendered != 1 else ''} rendered, "
                f"{report.files} file{'s' if report.files != 1 else ''} written, {ms:.0f} ms")
        data_changed = changed is None or any(path.is_relative_to(self.root / "data") for path in changed)
        return line + "".join(f"\n  warning: {warning}" for warning in report.data.warnings if data_changed)


def describe_changes(root: Path, changed: list[Path]) -> str:
    names = sorted({path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)
                    for path in changed})
    return ", ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "")


def _build(project: Rebuilds, changed: list[Path] | None, site: LiveSite) -> None:
    """A rebuild of ``changed`` (None: everything). On failure the server
    keeps going and shows the errors. Anything but an editor's mistake (a
    file gone mid-read, a full disk) falls back to a full build at once, so
    no change is lost and the output matches a fresh build."""
    try:
        line = project.run(changed)
    except BuildError as error:
        _failed(site, error)
        return
    except Exception as error:  # noqa: BLE001 - whatever it was, a full build decides
        print(f"{time.strftime('%H:%M:%S')} ftsite: rebuild stopped ({type(error).__name__}: {error}); "
              "building everything again", flush=True)
        project.cache.forget()
        try:
            line = project.run(None)
        except BuildError as failure:
            _failed(site, failure)
            return
        except Exception as failure:  # noqa: BLE001
            _failed(site, BuildError([SourceError("ftsite", None, f"the build failed: {type(failure).__name__}: "
                                                                  f"{failure}")]))
            return
    site.error = None
    print(f"{time.strftime('%H:%M:%S')} {line}", flush=True)


def _failed(site: LiveSite, error: BuildError) -> None:
    site.error = error
    print(f"{time.strftime('%H:%M:%S')} ftsite: rebuild failed, {len(error.errors)} error(s):", flush=True)
    for item in error.errors:
        print(f"  {item}", flush=True)


def generator_errors() -> list[SourceError]:
    """Why the generator's code would not start again: a syntax error in any
    of its files, or an import that fails (checked in a fresh interpreter,
    the way a restart would run it)."""
    errors = []
    for path in sorted(PACKAGE.rglob("*.py")):
        try:
            compile(path.read_bytes(), str(path), "exec")
        except SyntaxError as error:
            name = path.relative_to(PACKAGE.parent).as_posix()
            errors.append(SourceError(name, error.lineno, f"SyntaxError: {error.msg}"))
        except (OSError, ValueError):
            continue
    if errors:
        return errors
    probe = subprocess.run([sys.executable, "-c", f"import {PACKAGE.name}.cli, {PACKAGE.name}.commands.serve"],
                           capture_output=True, text=True, cwd=os.getcwd())
    if probe.returncode != 0:
        last = (probe.stderr.strip().splitlines() or ["it exited with an error"])[-1]
        errors.append(SourceError(PACKAGE.name + "/", None, f"does not import: {last}"))
    return errors
