"""The edit loop: a file written -> ``ftsite serve`` done rebuilding.

``ftsite serve`` runs on the 1,000-page corpus in a subprocess. The clock
starts just before a file is written and stops when serve prints the line for
that rebuild, so the figure includes noticing the change, not only the
rebuild it reports.
"""

from __future__ import annotations

import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

from .corpus import ROOT


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_for(log: Path, count: int, timeout: float = 60) -> float:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if log.read_text().count(" written, ") >= count:
            return time.perf_counter()
        time.sleep(0.002)
    raise RuntimeError(f"serve did not rebuild:\n{log.read_text()[-2000:]}")


def edit_loop(project: Path, runs: int) -> dict:
    log = project.parent / "serve-bench.log"
    process = subprocess.Popen([sys.executable, "-m", "generator", "serve", "--project", str(project),
                                "--port", str(_free_port())], stdout=log.open("w"), stderr=subprocess.STDOUT, cwd=ROOT)
    try:
        seen = 1
        _wait_for(log, seen)
        page = project / "content" / "notes" / "note-00500.md"
        prices = project / "data" / "gpus.yaml"
        figures: dict[str, list[float]] = {"page": [], "price": []}
        for run in range(runs):
            for kind, path, old, new in (("page", page, "\n## ", f"\nEdited {run}.\n\n## "),
                                         ("price", prices, "per_hour: 2.69", f"per_hour: 2.6{run}")):
                time.sleep(0.3)
                text = path.read_text()
                started = time.perf_counter()
                path.write_text(text.replace(old, new, 1))
                seen += 1
                figures[kind].append(_wait_for(log, seen) - started)
                path.write_text(text)
                seen += 1
                _wait_for(log, seen)
        lines = [line for line in log.read_text().splitlines() if " written, " in line]
        return {"page_ms": statistics.median(figures["page"]) * 1000,
                "price_ms": statistics.median(figures["price"]) * 1000,
                "page_line": next(line for line in lines if "note-00500" in line),
                "price_line": next(line for line in lines if "gpus.yaml" in line)}
    finally:
        process.terminate()
        process.wait(timeout=10)
