"""The ftsite command: build | serve | check | eval; errors as ``path:line: message``.

Bad input ends with a message and exit code 1, never a traceback; ``--debug``
shows the traceback for when ftsite itself is at fault.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from datetime import date, datetime, timezone
from pathlib import Path

from . import __version__
from .build import build
from .evaluate import evaluate_file, summary
from .errors import BuildError, SourceError


SHOWN_ERRORS = 100  # past this, more lines hide the first ones rather than help


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return args.run(args)
    except BuildError as error:
        if args.debug:
            raise
        count = len(error.errors)
        print(f"ftsite {args.command}: {count} error{'s' if count != 1 else ''}:", file=sys.stderr)
        for item in error.errors[:SHOWN_ERRORS]:
            print(f"  {item}", file=sys.stderr)
        if count > SHOWN_ERRORS:
            print(f"  ... and {count - SHOWN_ERRORS} more", file=sys.stderr)
        if args.command == "build":
            print("The output folder was left as it was.", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="ftsite", description="Build the fine-tune-or-prompt microsite.")
    parser.add_argument("--version", action="version", version=f"ftsite {__version__}")
    commands = parser.add_subparsers(dest="command", required=True)

    def command(name: str, run, help_: str) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, help=help_, description=help_)
        sub.add_argument("--project", type=Path, default=Path.cwd(), help="project folder (default: here)")
        sub.add_argument("--debug", action="store_true", help="show tracebacks")
        sub.add_argument("--today", type=_day, help="the build date: where the default horizon starts and what "
                         "prices are judged against (default: SOURCE_DATE_EPOCH, else the clock)")
        sub.set_defaults(run=run)
        return sub

    build_cmd = command("build", _build, "Build the static site.")
    build_cmd.add_argument("--out", type=Path, help="output folder (default: PROJECT/site)")
    build_cmd.add_argument("--base-url", default="/", help="path the site is served under (default: /)")
    build_cmd.add_argument("--pyodide-dir", type=Path, help="a local copy of the pinned Pyodide release "
                           "(default: FTSITE_PYODIDE_DIR, else the cache, filled with npm)")

    serve_cmd = command("serve", _serve, "Build, serve with live reload, and rebuild on every change.")
    serve_cmd.add_argument("--port", type=int, default=8000, help="port (default: 8000)")
    serve_cmd.add_argument("--host", default="127.0.0.1", help="address to bind (default: 127.0.0.1, this machine only)")
    serve_cmd.add_argument("--open", action="store_true", help="open the site in a browser")
    serve_cmd.add_argument("--out", type=Path, help="output folder (default: PROJECT/site)")
    serve_cmd.add_argument("--pyodide-dir", type=Path, help="a local copy of the pinned Pyodide release")

    check_cmd = command("check", _check, "Build into a scratch folder and check links, anchors, results and prices.")
    check_cmd.add_argument("--base-url", default="/", help="path the site is served under (default: /)")

    eval_cmd = command("eval", _eval, "Evaluate a scenario: the recommendation and what it costs.")
    eval_cmd.add_argument("scenario", help="a .yaml or .json scenario file, or - for standard input")
    eval_cmd.add_argument("--json", action="store_true", help="print the full result as JSON")
    return parser


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a date written YYYY-MM-DD, got {text!r}") from None


def build_date(args: argparse.Namespace) -> date:
    """--today, else SOURCE_DATE_EPOCH (reproducible builds), else the clock."""
    if args.today is not None:
        return args.today
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        try:
            return datetime.fromtimestamp(int(epoch), timezone.utc).date()
        except (ValueError, OverflowError, OSError):
            raise BuildError([SourceError("SOURCE_DATE_EPOCH", None,
                                          f"must be whole seconds since 1970, got {epoch!r}")]) from None
    return date.today()


def _build(args: argparse.Namespace) -> int:
    started = time.perf_counter()
    root = args.project.resolve()
    out = args.out.resolve() if args.out else root / "site"
    report = build(root, out, build_date(args).isoformat(), args.base_url, args.pyodide_dir)
    elapsed = (time.perf_counter() - started) * 1000
    print(f"ftsite: built {report.pages} pages, {report.files} files into {out} in {elapsed:.0f} ms")
    return 0


def _serve(args: argparse.Namespace) -> int:
    from .serve import serve  # tornado and livereload load only when serving

    root = args.project.resolve()
    out = args.out.resolve() if args.out else root / "site"
    return serve(root, out, args.host, args.port, args.open, args.pyodide_dir, build_date(args).isoformat())


def _check(args: argparse.Namespace) -> int:
    from .check import check_project

    findings = check_project(args.project.resolve(), args.base_url, build_date(args))
    for warning in findings.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    for problem in findings.problems:
        print(f"  {problem}", file=sys.stderr)
    if findings.problems:
        print(f"ftsite check: {len(findings.problems)} problem(s) in {findings.pages} pages", file=sys.stderr)
        return 1
    print(f"ftsite check: {findings.pages} pages, {findings.links} links, results and prices all good"
          f"{f' ({len(findings.warnings)} warnings)' if findings.warnings else ''}")
    return 0


def _eval(args: argparse.Namespace) -> int:
    result = evaluate_file(args.project.resolve(), args.scenario, build_date(args).isoformat())
    print(json.dumps(result, indent=2, sort_keys=True) if args.json else summary(result))
    return 0
