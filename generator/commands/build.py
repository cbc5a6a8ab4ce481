"""``ftsite build``: the site into ``--out`` (default ``site/``)."""

from __future__ import annotations

import argparse
import time

from ..pipeline.build import build
from . import build_date, output_folder


def run(args: argparse.Namespace) -> int:
    started = time.perf_counter()
    out = output_folder(args)
    report = build(args.project.resolve(), out, build_date(args).isoformat(), args.base_url, args.pyodide_dir)
    elapsed = (time.perf_counter() - started) * 1000
    print(f"ftsite: built {report.pages} pages, {report.files} files into {out} in {elapsed:.0f} ms")
    return 0
