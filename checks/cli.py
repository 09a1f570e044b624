"""The ``bebcheck`` command line: ``bebcheck audit [RESULT ...]``."""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Sequence
from typing import NoReturn

from bebcheck import __version__
from bebcheck.symbolic.errors import BebcheckError

__all__ = ["main"]


class _Parser(argparse.ArgumentParser):
    """argparse with one-line usage errors (exit 2), no usage dump."""

    def error(self, message: str) -> NoReturn:
        sys.stderr.write(f"bebcheck: error: {message}\n")
        raise SystemExit(2)


def _positive_int(s: str) -> int:
    try:
        v = int(s)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an integer: {s!r}") from None
    if v <= 0:
        raise argparse.ArgumentTypeError(f"must be positive: {s}")
    return v


def build_parser(argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    from bebcheck.proofs import names

    p = _Parser(prog="bebcheck", description="Machine-check the BEB paper (arXiv 2304.11082v1).")
    p.add_argument("--version", action="version", version=f"bebcheck {__version__}")
    sub = p.add_subparsers(dest="cmd", required=True, parser_class=_Parser)
    a = sub.add_parser("audit", help="check every step of the named results (default: all)")
    a.add_argument("results", nargs="*", metavar="RESULT",
                   help=f"results to audit: {', '.join(names())} (default: all)")
    a.add_argument("--format", choices=("text", "json", "table"), default="text",
                   help="text report, JSON document, or the Markdown coverage table")
    a.add_argument("--output", "-o", metavar="FILE", help="write the report here (default stdout)")
    a.add_argument("--timeout-ms", type=_positive_int, default=5000,
                   help="hard time limit per solver query (default 5000)")
    a.add_argument("--min-engines", type=_positive_int, default=2,
                   help="engines that must prove an obligation for PROVED (default 2)")
    e = sub.add_parser("errata", help="the errata sheet: every finding, with evidence and fix")
    e.add_argument("--format", choices=("md", "json"), default="md")
    e.add_argument("--output", "-o", metavar="FILE", help="write the sheet here (default stdout)")
    e.add_argument("--timeout-ms", type=_positive_int, default=5000)
    sub.add_parser("results", help="list the results bebcheck knows")
    if argv is None or any(a in _HEAVY for a in argv) or "-h" in argv or "--help" in argv:
        # the calculator and the simulator load numpy/matplotlib: only when asked for
        from .bound_cli import register as register_bound
        from .experiments import register as register_simulate

        register_bound(sub)
        register_simulate(sub)
    else:
        for name, what in _HEAVY.items():
            sub.add_parser(name, help=what)
    return p


_HEAVY = {
    "bound": "explicit prompt length of a result (repaired and as printed); ranges give CSV",
    "plot": "figures of the explicit bounds (matplotlib PNG/SVG)",
    "simulate": "run a result against synthetic mixture language models",
}


def _audit(args: argparse.Namespace) -> int:
    from bebcheck.proofs import get, names

    from .report import to_json, to_table, to_text
    from .runner import Checker, Policy

    chosen = args.results or names()
    chains = [get(n) for n in chosen]  # UnknownResultError before any work starts
    t0 = time.perf_counter()
    policy = Policy(min_engines=args.min_engines, timeout_ms=args.timeout_ms)
    with Checker(policy) as checker:
        reports = checker.check_chains(chains)
    secs = time.perf_counter() - t0
    render = {"json": to_json, "table": to_table, "text": to_text}[args.format]
    text = render(reports, secs)
    _write(text, args.output)
    from .verdict import Verdict

    return 0 if all(r.repaired is Verdict.PROVED for r in reports) else 1


def _errata(args: argparse.Namespace) -> int:
    from bebcheck.proofs import RESULTS

    from .errata import collect, to_json, to_markdown
    from .runner import Checker, Policy

    chains = [fn() for fn in RESULTS.values()]
    with Checker(Policy(timeout_ms=args.timeout_ms)) as checker:
        reports = checker.check_chains(chains)
    errata = collect(reports)
    text = to_json(errata) if args.format == "json" else to_markdown(errata)
    _write(text, args.output)
    return 0


def _write(text: str, path: str | None) -> None:
    if path:
        with open(path, "w", encoding="utf-8") as fh:
            fh.write(text)
    else:
        sys.stdout.write(text)


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser(args_list)
    args = parser.parse_args(args_list)
    try:
        if args.cmd == "audit":
            return _audit(args)
        if args.cmd == "errata":
            return _errata(args)
        if args.cmd in ("simulate", "bound", "plot"):
            return int(args.handler(args))
        if args.cmd == "results":
            from bebcheck.proofs import RESULTS

            for name, fn in RESULTS.items():
                print(f"{name:10s} {fn().title}")
            return 0
    except BebcheckError as e:
        sys.stderr.write(f"bebcheck: error: {e}\n")
        return 2
    except BrokenPipeError:  # e.g. `bebcheck audit | head`: the reader left, nothing is wrong
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except OSError as e:
        sys.stderr.write(f"bebcheck: error: {e.strerror or e}: {e.filename or ''}\n")
        return 2
    return 2


if __name__ == "__main__":
    raise SystemExit(main())
