"""``ftsite build``: the site into ``--out`` (default ``site/``)."""

from __future__ import annotations

import argparse
import sys
import time

from ..pipeline.build import build
from . import build_date, output_folder


def run(args: argparse.Namespace) -> int:
    started = time.perf_counter()
    out = output_folder(args)
    report = build(args.project.resolve(), out, build_date(args).isoformat(), args.base_url, args.pyodide_dir)
    elapsed = (time.perf_counter() - started) * 1000
    for warning in report.data.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    warned = len(report.data.warnings)
    print(f"ftsite: built {report.pages} pages, {report.files} files into {out} in {elapsed:.0f} ms"
          + (f" ({warned} warning{'s' if warned != 1 else ''}: see above)" if warned else ""))
    return 0
