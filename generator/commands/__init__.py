"""The verbs of the ftsite command, each a ``run(args) -> exit code``: thin
wrappers that read their arguments and call the pipeline."""

from __future__ import annotations

import argparse
import os
from datetime import date, datetime, timezone

from ..errors import BuildError, SourceError


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


def output_folder(args: argparse.Namespace):
    root = args.project.resolve()
    return args.out.resolve() if args.out else root / "site"
