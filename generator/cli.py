"""The ftsite command: build | serve | check | eval; errors as ``path:line: message``.

Bad input ends with a message and exit code 1, never a traceback; ``--debug``
shows the traceback for when ftsite itself is at fault. Each verb lives in
``commands/``; this module only parses arguments and turns errors into exit
codes.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

from . import __version__
from .errors import BuildError

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


def _run(verb: str):
    """The verb's run(args), imported only when it is called: serving pulls in
    tornado, and a build should not."""
    def run(args: argparse.Namespace) -> int:
        from importlib import import_module

        return import_module(f".commands.{verb}", __package__).run(args)
    return run


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a date written YYYY-MM-DD, got {text!r}") from None


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="ftsite", description="Build the fine-tune-or-prompt microsite.")
    parser.add_argument("--version", action="version", version=f"ftsite {__version__}")
    commands = parser.add_subparsers(dest="command", required=True)

    def command(name: str, help_: str) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, help=help_, description=help_)
        sub.add_argument("--project", type=Path, default=Path.cwd(), help="project folder (default: here)")
        sub.add_argument("--debug", action="store_true", help="show tracebacks")
        sub.add_argument("--today", type=_day, help="the build date: where the default horizon starts and what "
                         "prices are judged against (default: SOURCE_DATE_EPOCH, else the clock)")
        sub.set_defaults(run=_run(name))
        return sub

    build_cmd = command("build", "Build the static site.")
    build_cmd.add_argument("--out", type=Path, help="output folder (default: PROJECT/site)")
    build_cmd.add_argument("--base-url", help="path the site is served under (default: the path of site.url in data/site.yaml)")
    build_cmd.add_argument("--pyodide-dir", type=Path, help="a local copy of the pinned Pyodide release "
                           "(default: FTSITE_PYODIDE_DIR, else the cache, filled with npm)")

    serve_cmd = command("serve", "Build, serve with live reload, and rebuild on every change.")
    serve_cmd.add_argument("--port", type=int, default=8000, help="port (default: 8000)")
    serve_cmd.add_argument("--host", default="127.0.0.1", help="address to bind (default: 127.0.0.1, this machine only)")
    serve_cmd.add_argument("--open", action="store_true", help="open the site in a browser")
    serve_cmd.add_argument("--out", type=Path, help="output folder (default: PROJECT/site)")
    serve_cmd.add_argument("--pyodide-dir", type=Path, help="a local copy of the pinned Pyodide release")

    check_cmd = command("check", "Build into a scratch folder and check links, anchors, results and prices.")
    check_cmd.add_argument("--base-url", help="path the site is served under (default: the path of site.url in data/site.yaml)")
    check_cmd.add_argument("--drift", type=Path, metavar="FILE",
                           help="compare the catalog's prices with a price list on disk, in LiteLLM's "
                                "model_prices_and_context_window.json format (each model's aliases name its rows)")
    check_cmd.add_argument("--strict", action="store_true", help="with --drift: a difference is an error (exit 1)")

    eval_cmd = command("eval", "Evaluate a scenario: the recommendation and what it costs.")
    eval_cmd.add_argument("scenario", help="a .yaml or .json scenario file, or - for standard input")
    eval_cmd.add_argument("--json", action="store_true", help="print the full result as JSON")
    return parser
