"""``ftsite serve`` over real HTTP: a subprocess on a free port, serving a
temporary copy of the project, edited while it runs."""

from __future__ import annotations

import http.client
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import ROOT, copy_project, run_ftsite, tree_digest


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    """``python -m generator serve`` on a free port, run from ``cwd``."""

    def __init__(self, project: Path, out: Path, cwd: Path | None = None, env: dict | None = None):
        self.project, self.out, self.port = project, out, _free_port()
        self.log = project.parent / "serve.log"
        self.process = subprocess.Popen(
            [sys.executable, "-m", "generator", "serve", "--project", str(project), "--out", str(out),
             "--port", str(self.port)], cwd=cwd, env={**os.environ, **(env or {})},
            stdout=self.log.open("w"), stderr=subprocess.STDOUT)
        self.wait_for_log("serving ", timeout=60)

    def wait_for_log(self, text: str, timeout: float = 10, count: int = 1) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            log = self.log.read_text()
            if log.count(text) >= count:
                return log
            assert self.process.poll() is None, f"serve exited:\n{log}"
            time.sleep(0.05)
        raise AssertionError(f"{text!r} not in the log after {timeout} s:\n{self.log.read_text()}")

    def get(self, path: str, method: str = "GET") -> tuple[int, dict, bytes]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        connection.request(method, path)
        response = connection.getresponse()
        body = response.read()
        connection.close()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, body

    def get_until(self, path: str, text: str, timeout: float = 10) -> bytes:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                body = self.get(path)[2]
            except ConnectionError:  # restarting
                body = b""
            if text.encode() in body:
                return body
            time.sleep(0.1)
        raise AssertionError(f"{text!r} not served at {path} within {timeout} s:\n{self.log.read_text()}")

    def stop(self) -> int:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        return self.process.wait(timeout=10)


@pytest.fixture
def server(tmp_path: Path):
    project = copy_project(tmp_path / "project")
    (project / "content" / "files").mkdir()
    for name in ("sample.xml", "sample.zip", "sample.json"):
        (project / "content" / "files" / name).write_bytes(b"<x/>" if name.endswith("xml") else b"{}")
    running = Server(project, tmp_path / "out")
    yield running
    running.stop()


def test_pages_and_headers(server: Server):
    status, headers, body = server.get("/")
    assert status == 200 and headers["content-type"] == "text/html; charset=utf-8"
    assert b'<script src="/livereload.js"></script></body>' in body
    assert b"livereload" not in (server.out / "index.html").read_bytes()  # only serve injects it
    costs = server.get("/costs/")[2].decode()
    want = {
        ".wasm": "application/wasm", ".mjs": "text/javascript; charset=utf-8", ".js": "text/javascript; charset=utf-8",
        ".json": "application/json", ".svg": "image/svg+xml", ".whl": "application/zip", ".zip": "application/zip",
        ".xml": "application/xml", ".css": "text/css; charset=utf-8",
    }
    paths = [p.relative_to(server.out).as_posix() for p in server.out.rglob("*") if p.is_file()]
    for suffix, content_type in want.items():
        path = next(p for p in paths if p.endswith(suffix))
        status, headers, _ = server.get("/" + path)
        assert (status, headers["content-type"]) == (200, content_type), path
    wasm = next(p for p in paths if p.endswith(".wasm"))
    assert "immutable" in server.get("/" + wasm)[1]["cache-control"]
    assert server.get("/")[1]["cache-control"] == "no-cache"
    assert "data-engine-worker" in costs
    status, headers, body = server.get("/costs/", method="HEAD")
    assert status == 200 and body == b"" and int(headers["content-length"]) > 1000
    status, headers, _ = server.get("/costs")
    assert status in (301, 302) and headers["location"] == "/costs/"


def test_missing_paths_get_the_404_page(server: Server):
    status, _, body = server.get("/no/such/page/")
    assert status == 404 and b"Page not found" in body


def test_paths_outside_the_output_are_refused(server: Server):
    secret = server.out.parent / "secret.txt"
    secret.write_text("do not serve")
    for path in ("/../secret.txt", "/%2e%2e/secret.txt", "/..%2fsecret.txt", "/assets/../../secret.txt",
                 "/%2e%2e%2f%2e%2e%2fetc/passwd", "/..\\secret.txt"):
        connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
        connection.putrequest("GET", path, skip_host=False)
        connection.endheaders()
        response = connection.getresponse()
        body = response.read()
        assert response.status in (400, 403, 404), path
        assert b"do not serve" not in body and b"root:" not in body, path


def test_an_edit_is_served_within_seconds_and_logged(server: Server):
    page = server.project / "content" / "decide.md"
    page.write_text(page.read_text().replace("\n---\n", "\n---\n\nA sentence added while serving.\n", 1))
    server.get_until("/decide/", "A sentence added while serving.")
    log = server.wait_for_log("content/decide.md: 1 page rendered")
    assert " ms" in log.splitlines()[-1]


def test_broken_yaml_shows_the_error_and_the_fix_brings_the_site_back(server: Server):
    gpus = server.project / "data" / "gpus.yaml"
    good = gpus.read_text()
    gpus.write_text(good.replace("    per_hour: 2.69\n", "    per_hour: -2.69\n", 1))
    body = server.get_until("/pricing/", "The last rebuild failed")
    line = good[: good.index("    per_hour: 2.69")].count("\n") + 1
    assert f"data/gpus.yaml:{line}: gpus[0].per_hour: must be &gt;= 0, got -2.69".encode() in body
    assert server.get("/pricing/")[0] == 500
    assert server.process.poll() is None
    assert f"data/gpus.yaml:{line}: gpus[0].per_hour" in server.wait_for_log("rebuild failed")
    gpus.write_text(good.replace("    per_hour: 2.69\n", "    per_hour: 2.59\n", 1))
    server.get_until("/pricing/", "$2.59")
    assert server.get("/pricing/")[0] == 200


def test_sigterm_stops_it_cleanly(server: Server):
    assert server.stop() == 0
    assert "ftsite: stopped" in server.log.read_text()


def test_incremental_rebuilds_equal_a_full_build(server: Server, tmp_path: Path):
    project = server.project
    edits = [
        (project / "content" / "costs.md", "order: 3\n", "order: 3\n", "A line for the costs page.\n"),
        (project / "data" / "offers.yaml", "      per_1m: 25\n", "      per_1m: 24\n", None),
        (project / "templates" / "assets" / "site.css", "}\n", "}\n/* edited */\n", None),
        (project / "content" / "index.md", 'nav: "Guide"', 'nav: "The guide"', None),
    ]
    for count, (path, old, new, appended) in enumerate(edits, start=1):
        text = path.read_text().replace(old, new, 1) + (appended or "")
        path.write_text(text)
        server.wait_for_log(" written, ", count=count + 1, timeout=15)
    (project / "content" / "extra.md").write_text("---\ntitle: Extra\ndescription: One more page.\n---\nHello.\n")
    server.get_until("/extra/", "Hello.")
    (project / "content" / "extra.md").unlink()
    deadline = time.monotonic() + 10
    while server.get("/extra/")[0] != 404 and time.monotonic() < deadline:
        time.sleep(0.1)
    time.sleep(0.3)
    fresh = tmp_path / "fresh"
    assert run_ftsite("build", "--project", str(project), "--out", str(fresh)).code == 0
    assert tree_digest(server.out) == tree_digest(fresh)


def test_it_binds_only_to_this_machine_by_default(server: Server):
    assert f"at http://127.0.0.1:{server.port}/" in server.log.read_text()
    addresses = subprocess.run(["hostname", "-I"], capture_output=True, text=True).stdout.split()
    for address in [a for a in addresses if "." in a and not a.startswith("127.")][:1]:
        with pytest.raises(OSError):
            socket.create_connection((address, server.port), timeout=2).close()


def test_an_engine_change_restarts_and_rebuilds_the_wheel(tmp_path: Path):
    copy = copy_project(tmp_path / "repo")
    shutil.copytree(ROOT / "generator", copy / "generator", ignore=shutil.ignore_patterns("__pycache__"))
    server = Server(copy, copy / "site", cwd=copy, env={"PYTHONPATH": ""})  # runs the copy's generator
    try:
        wheels = {p.parent.name for p in (copy / "site" / "engine").glob("*/*.whl")}
        assert "$4–$8" in server.get("/pricing/")[2].decode()
        display = copy / "generator" / "engine" / "display.py"
        display.write_text(display.read_text().replace('DASH = "\\u2013"', 'DASH = " to "'))
        server.wait_for_log("restarting")
        server.get_until("/pricing/", "$4 to $8", timeout=60)
        assert {p.parent.name for p in (copy / "site" / "engine").glob("*/*.whl")} != wheels
    finally:
        server.stop()


def _raw_get(port: int, path: str) -> tuple[int, dict, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.putrequest("GET", path, skip_host=False)
    connection.endheaders()
    response = connection.getresponse()
    body = response.read()
    connection.close()
    return response.status, {k.lower(): v for k, v in response.getheaders()}, body


def test_double_slashes_never_redirect_off_the_site(server: Server):
    for path, location in (("//costs", "/costs/"), ("//example.com", None), ("///evil.example/x", None)):
        status, headers, _ = _raw_get(server.port, path)
        if status in (301, 302, 307, 308):
            assert headers["location"].startswith("/") and not headers["location"].startswith("//"), path
            if location:
                assert headers["location"] == location
        else:
            assert status in (403, 404), (path, status)


def test_an_over_long_path_is_not_found_not_a_crash(server: Server):
    status, _, body = _raw_get(server.port, "/" + "a" * 300 + "/")
    assert status == 404 and b"Page not found" in body
    assert "Traceback" not in server.log.read_text()


def test_files_deleted_from_the_output_are_written_again(server: Server):
    (server.out / "costs" / "index.html").unlink()
    (server.out / "pricing" / "index.html").unlink()
    page = server.project / "content" / "costs.md"
    page.write_text(page.read_text() + "\nOne more sentence.\n")
    server.get_until("/costs/", "One more sentence.")
    server.wait_for_log(" written, ", count=2)
    assert (server.out / "pricing" / "index.html").is_file()


def test_files_that_vanish_during_rebuilds_end_in_a_full_build(server: Server, tmp_path: Path):
    """Editors' rename-saves, git checkouts and stashes, faster than rebuilds."""
    project = server.project
    page = project / "content" / "costs.md"
    original = page.read_text()
    offers = project / "data" / "offers.yaml"
    prices = offers.read_text()
    for round_ in range(40):
        temporary = page.with_name(".costs.md.swp")
        temporary.write_text(original + f"\nRound {round_}.\n")
        os.replace(temporary, page)
        if round_ % 3 == 0:
            page.unlink()
            time.sleep(0.01)
            page.write_text(original + f"\nRound {round_}.\n")
        if round_ % 5 == 0:
            offers.unlink()
            time.sleep(0.02)
            offers.write_text(prices)
        time.sleep(0.02)
    page.write_text(original + "\nThe last round.\n")
    server.get_until("/costs/", "The last round.", timeout=30)
    time.sleep(1)
    assert server.process.poll() is None
    fresh = tmp_path / "fresh"
    assert run_ftsite("build", "--project", str(project), "--out", str(fresh)).code == 0
    assert tree_digest(server.out) == tree_digest(fresh)
    assert "Traceback" not in server.log.read_text()


def test_a_failed_first_build_shows_the_error_page_at_the_root(tmp_path: Path):
    project = copy_project(tmp_path / "project")
    gpus = project / "data" / "gpus.yaml"
    gpus.write_text(gpus.read_text().replace("    per_hour: 2.69\n", "    per_hour: -1\n", 1))
    running = Server(project, tmp_path / "out")
    try:
        for path in ("/", "/costs/", "/costs"):
            status, _, body = running.get(path)
            assert status == 500 and b"The last rebuild failed" in body, (path, status)
    finally:
        running.stop()


def test_a_syntax_error_in_the_generator_keeps_serving(tmp_path: Path):
    copy = copy_project(tmp_path / "repo")
    shutil.copytree(ROOT / "generator", copy / "generator", ignore=shutil.ignore_patterns("__pycache__"))
    server = Server(copy, copy / "site", cwd=copy, env={"PYTHONPATH": ""})
    try:
        display = copy / "generator" / "engine" / "display.py"
        good = display.read_text()
        display.write_text(good + "\ndef broken(:\n")
        log = server.wait_for_log("not restarting")
        assert "generator/engine/display.py:" in log and ("SyntaxError" in log or "invalid syntax" in log), log
        assert server.get("/")[0] == 500  # the error page says why
        assert server.process.poll() is None
        display.write_text(good.replace('DASH = "\\u2013"', 'DASH = " to "'))
        server.wait_for_log("restarting", count=1)
        server.get_until("/pricing/", " to $", timeout=60)
    finally:
        server.stop()


def test_slow_readers_of_big_files_do_not_fill_the_memory(server: Server):
    wasm = "/" + next(p.relative_to(server.out).as_posix() for p in server.out.rglob("*.wasm"))
    status_path = Path(f"/proc/{server.process.pid}/status")
    if not status_path.exists():
        pytest.skip("needs /proc to read the server's memory")

    def rss_mb() -> float:
        line = next(line for line in status_path.read_text().splitlines() if line.startswith("VmRSS:"))
        return int(line.split()[1]) / 1024

    before = rss_mb()
    readers = []
    for _ in range(40):
        reader = socket.create_connection(("127.0.0.1", server.port))
        reader.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        reader.sendall(f"GET {wasm} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode())
        readers.append(reader)
    time.sleep(2)
    grown = rss_mb() - before
    for reader in readers:
        reader.recv(1024)
        reader.close()
    assert grown < 120, f"the server grew {grown:.0f} MB serving 40 slow readers"
    assert server.get("/")[0] == 200
