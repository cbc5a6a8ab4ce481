"""``python -m bench``: every performance figure of ftsite beside its target.

Figures are medians of several runs; each comparison (ftsite against the
floor, the trimmed engine against a stock Pyodide boot) is measured side by
side in the same run, because this machine is shared and its absolute
timings wander.

    python -m bench [--runs 3] [--sizes 100,1000,5000] [--skip build,edit,browser]
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import time
from pathlib import Path

from . import browser, builds, editloop
from .corpus import ROOT, make_project

MB = 1024 * 1024


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3, help="runs per figure (the median is shown)")
    parser.add_argument("--sizes", default="100,1000,5000", help="corpus sizes in pages")
    parser.add_argument("--skip", default="", help="sections to skip: build, edit, browser")
    args = parser.parse_args(argv)
    skip = set(filter(None, args.skip.split(",")))
    sizes = [int(size) for size in args.sizes.split(",")]
    scratch = builds.scratch_folder()
    rows: list[tuple] = []
    started = time.monotonic()
    try:
        if "build" not in skip:
            rows += build_rows(args.runs, sizes, scratch)
        if "edit" not in skip:
            rows += edit_rows(args.runs, scratch)
        if "browser" not in skip:
            rows += browser_rows(args.runs, scratch)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    print_table(rows, args.runs, time.monotonic() - started)
    return 0


def build_rows(runs: int, sizes: list[int], scratch: Path) -> list[tuple]:
    rows = [("Build", None, None, None)]
    real = builds.real_site(runs, scratch)
    rows.append(("real site, full build, warm cache", f"{real:.2f} s", "<= 1.0 s", real <= 1.0))
    results = builds.throughput(sizes, runs, scratch)
    for row in results:
        ratio = row["ours_rate"] / row["floor_rate"]
        cores = row["ours"]["cpu"] / row["ours"]["wall"]
        target, ok = (">= 0.8 x floor", ratio >= 0.8) if row["size"] == 1000 else ("", None)
        rows.append((f"{row['size']:,} pages: ftsite vs floor",
                     f"{row['ours_rate']:.0f} vs {row['floor_rate']:.0f} pages/s = {ratio:.2f} x", target, ok))
        rows.append((f"{row['size']:,} pages: cores busy, peak memory main / worker",
                     f"{cores:.1f} of {os.cpu_count()}, {row['ours']['rss_mb']:.0f} / "
                     f"{row['ours']['worker_rss_mb']:.0f} MB (floor {row['floor']['rss_mb']:.0f} MB)", "", None))
    if len(results) > 1:
        growth = results[-1]["ours"]["rss_mb"] / results[0]["ours"]["rss_mb"]
        rows.append((f"memory growth {results[0]['size']:,} -> {results[-1]['size']:,} pages (main process)",
                     f"{growth:.2f} x", "flat (<= 1.25 x)", growth <= 1.25))
        busy = results[-1]["ours"]["cpu"] / results[-1]["ours"]["wall"]
        cores = os.cpu_count() or 1
        rows.append((f"all cores used at {results[-1]['size']:,} pages", f"{busy:.1f} of {cores}",
                     f">= {0.8 * cores:.1f}", busy >= 0.8 * cores))
    return rows


def edit_rows(runs: int, scratch: Path) -> list[tuple]:
    project = make_project(scratch / "edit-1000", 1000)
    figures = editloop.edit_loop(project, runs)
    return [("Edit loop (1,000 pages, file write -> rebuild done)", None, None, None),
            ("one page edit", f"{figures['page_ms']:.0f} ms", "<= 150 ms", figures["page_ms"] <= 150),
            ("one price edit", f"{figures['price_ms']:.0f} ms", "<= 1000 ms", figures["price_ms"] <= 1000),
            ("note", "serve said: " + figures["page_line"].split(" ", 1)[1], None, None),
            ("note", "serve said: " + figures["price_line"].split(" ", 1)[1], None, None)]


def browser_rows(runs: int, scratch: Path) -> list[tuple]:
    site = scratch / "browser-site"
    builds.run_child("ftsite", ROOT, site)
    figures = browser.browser_figures(site, scratch, runs)
    ours, stock, payload = figures["ours"], figures["stock"], figures["payload"]
    stock_payload = figures["stock_payload"]
    cold, stock_cold = ours["cold"]["engine-ready"], stock["cold"]["engine-ready"]
    warm, kept = ours["warm"]["engine-ready"], ours["kept"]
    ratio = cold / stock_cold
    heaviest = max(figures["pages"].items(), key=lambda item: item[1])
    rows = [("Browser (headless Chromium, local server, year-long caching of hashed files)", None, None, None),
            ("page without the engine, gzip (heaviest: " + heaviest[0] + ")", f"{heaviest[1] / 1024:.1f} KB",
             "<= 60 KB", heaviest[1] <= 60 * 1024)]
    rows += [(f"  {url}", f"{weight / 1024:.1f} KB", "", None) for url, weight in figures["pages"].items()]
    rows += [
        ("engine payload raw / gzip / brotli",
         f"{payload['raw'] / MB:.2f} / {payload['gzip'] / MB:.2f} / {payload['brotli'] / MB:.2f} MB",
         "gzip <= 5.5, br <= 4.5 MB", payload["gzip"] <= 5.5 * MB and payload["brotli"] <= 4.5 * MB),
        ("  stock Pyodide boot, same page",
         f"{stock_payload['raw'] / MB:.2f} / {stock_payload['gzip'] / MB:.2f} / {stock_payload['brotli'] / MB:.2f} MB",
         "", None),
        ("navigation -> engine ready, cold", f"{cold / 1000:.2f} s vs stock {stock_cold / 1000:.2f} s = {ratio:.2f} x",
         "<= 0.30 x and <= 3 s", ratio <= 0.30 and cold <= 3000),
        ("navigation -> engine ready, warm, from the kept snapshot",
         f"{warm / 1000:.2f} s vs stock {stock['warm']['engine-ready'] / 1000:.2f} s", "<= 0.5 s",
         warm <= 500 and ours["warm"]["boots"] == ["snapshot"]),
        ("  warm, snapshot evicted: normal boot", f"{ours['evicted']['engine-ready'] / 1000:.2f} s", "<= 1 s",
         ours["evicted"]["engine-ready"] <= 1000),
        ("  warm, snapshot spoiled: found out, dropped, normal boot", f"{ours['spoiled']['engine-ready'] / 1000:.2f} s",
         "", None),
        ("  first visit: snapshot kept, made / encoded / stored (worker, once quiet)",
         f"{kept['size'] / MB:.1f} MB, {kept['made_ms']:.0f} / {kept['encoded_ms']:.0f} / {kept['stored_ms']:.0f} ms",
         "", None),
        ("input -> result shown", f"{ours['input_ms']:.1f} ms (stock {stock['input_ms']:.1f} ms)", "<= 50 ms",
         ours["input_ms"] <= 50),
        ("input -> whole result shown (Monte Carlo, flips, tornado)",
         f"{ours['full_ms']:.1f} ms (stock {stock['full_ms']:.1f} ms)", "<= 300 ms", ours["full_ms"] <= 300),
        ("longest main-thread stall while booting", f"{ours['stall_ms']:.0f} ms (stock {stock['stall_ms']:.0f} ms)",
         "", None),
        ("Where the time goes: ms after navigation, medians (worker started / Pyodide imported / snapshot read / "
         "Python up / engine up / ready)", None, None, None),
    ]
    for name, label in (("cold", "cold"), ("warm", "warm, snapshot"), ("evicted", "warm, normal boot")):
        steps = ours[name]
        rows.append((f"  {label} ({', '.join(steps['boots'])})",
                     " / ".join(f"{steps[step]:.0f}" if step in steps else "-" for step in browser.STEPS), "", None))
    return rows


def print_table(rows: list[tuple], runs: int, seconds: float) -> None:
    print(f"ftsite benchmark: {platform.node() or 'this machine'}, {os.cpu_count()} cores, "
          f"Python {platform.python_version()}, median of {runs} runs, {seconds:.0f} s in all")
    table = [row for row in rows if row[1] is not None and row[0] != "note"]
    width = max(len(row[0]) for row in table) + 2
    value_width = max(len(row[1]) for row in table) + 2
    for name, value, target, ok in rows:
        if value is None:
            print(f"\n{name}")
            continue
        if name == "note":
            print(f"    {value}")
            continue
        verdict = "" if ok is None else ("ok" if ok else "MISSED")
        print(f"  {name:<{width}}{value:<{value_width}}{target or '':<26}{verdict}")
