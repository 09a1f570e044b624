"""The bebcheck command line: one module per subcommand, one table of commands."""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence
from typing import NoReturn

from bebcheck import __version__
from bebcheck.symbolic.errors import BebcheckError

__all__ = ["COMMANDS", "build_parser", "main"]

COMMANDS: dict[str, tuple[str, str]] = {
    "audit": ("audit", "check every step of the named results (default: all)"),
    "errata": ("errata", "the errata sheet: every finding, with evidence and fix"),
    "bound": ("bound", "explicit prompt length of a result (repaired and as printed); "
                       "ranges give CSV"),
    "plot": ("bound", "figures of the explicit bounds (matplotlib PNG/SVG)"),
    "simulate": ("simulate", "run a result against synthetic mixture language models"),
    "results": ("results", "list the results bebcheck knows"),
}
"""Subcommand → (module of ``bebcheck.checks.cli`` that registers it, one-line help)."""


class Parser(argparse.ArgumentParser):
    """argparse with one-line usage errors (exit 2), no usage dump."""

    def error(self, message: str) -> NoReturn:
        sys.stderr.write(f"bebcheck: error: {message}\n")
        raise SystemExit(2)


def build_parser(argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """The parser; a subcommand's module is imported only when it is used (or for help)."""
    p = Parser(prog="bebcheck",
               description="Machine-check the BEB paper (arXiv 2304.11082v1).")
    p.add_argument("--version", action="version", version=f"bebcheck {__version__}")
    sub = p.add_subparsers(dest="cmd", required=True, parser_class=Parser)
    order = list(dict.fromkeys(m for m, _ in COMMANDS.values()))
    if argv is None or {"-h", "--help"} & set(argv):
        chosen = set(order)
    else:
        chosen = {m for n, (m, _) in COMMANDS.items() if n in argv}
    for module in order:
        if module in chosen:
            importlib.import_module(f"{__name__}.{module}").register(sub)
            continue
        for name, (m, what) in COMMANDS.items():
            if m == module:
                sub.add_parser(name, help=what)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    args = build_parser(args_list).parse_args(args_list)
    try:
        return int(args.handler(args))
    except BebcheckError as e:
        sys.stderr.write(f"bebcheck: error: {e}\n")
        return 2
    except BrokenPipeError:  # e.g. `bebcheck audit | head`: the reader left, nothing is wrong
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except OSError as e:
        sys.stderr.write(f"bebcheck: error: {e.strerror or e}: {e.filename or ''}\n")
        return 2
