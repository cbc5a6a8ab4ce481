"""Build figures: throughput against the floor, memory, cores, the real site.

Every build runs in its own process, so peak memory (ru_maxrss) is the
build's own, and CPU time over wall time tells how many cores it kept busy.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from .corpus import ROOT, make_project

CHILD = """
import json, resource, sys, time
started = time.perf_counter()
kind, source, out = sys.argv[1:4]
if kind == "ftsite":
    from generator.pipeline.build import build
    pages = build(__import__("pathlib").Path(source), __import__("pathlib").Path(out), "2026-12-01").pages
else:
    sys.path.insert(0, sys.argv[4])
    from floor import build
    pages = build(__import__("pathlib").Path(source), __import__("pathlib").Path(out))
wall = time.perf_counter() - started
me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"pages": pages, "wall": wall, "cpu": me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime,
                  "rss_mb": me.ru_maxrss / 1024, "worker_rss_mb": kids.ru_maxrss / 1024}))
"""


def run_child(kind: str, source: Path, out: Path) -> dict:
    done = subprocess.run([sys.executable, "-c", CHILD, kind, str(source), str(out), str(Path(__file__).parent)],
                          capture_output=True, text=True, cwd=ROOT)
    if done.returncode != 0:
        raise RuntimeError(done.stderr[-2000:])
    return json.loads(done.stdout.strip().splitlines()[-1])


def median_run(kind: str, source: Path, out: Path, runs: int) -> dict:
    results = [run_child(kind, source, out) for _ in range(runs)]
    middle = sorted(results, key=lambda r: r["wall"])[len(results) // 2]
    return {**middle, "rss_mb": max(r["rss_mb"] for r in results),
            "worker_rss_mb": max(r["worker_rss_mb"] for r in results)}


def throughput(sizes: list[int], runs: int, scratch: Path) -> list[dict]:
    """ftsite and the floor on the same synthetic corpus, side by side per size."""
    rows = []
    for size in sizes:
        project = make_project(scratch / f"corpus-{size}", size)
        ours = median_run("ftsite", project, scratch / f"site-{size}", runs)
        floor = median_run("floor", project / "content" / "notes", scratch / f"floor-{size}", runs)
        rows.append({"size": size, "ours": ours, "floor": floor,
                     "ours_rate": ours["pages"] / ours["wall"], "floor_rate": floor["pages"] / floor["wall"]})
    return rows


def real_site(runs: int, scratch: Path) -> float:
    """The real project's full build with a warm cache (Pyodide and the stdlib zip cached)."""
    run_child("ftsite", ROOT, scratch / "real-site")  # warms the caches
    return statistics.median(run_child("ftsite", ROOT, scratch / "real-site")["wall"] for _ in range(runs))


def scratch_folder() -> Path:
    return Path(tempfile.mkdtemp(prefix="ftsite-bench-"))
