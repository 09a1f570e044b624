"""``bebcheck audit``: every step of the named results, with verdicts."""

from __future__ import annotations

import argparse
import time
from typing import Any

from .common import check_output_path, write_output
from .running import add_run_options, audit_chains
from .streams import require_stdout

__all__ = ["register", "run"]


def register(sub: Any) -> None:
    from bebcheck.checks.engines.registry import REGISTRY
    from bebcheck.proofs import DEFAULT

    engines = len(REGISTRY)
    a = sub.add_parser("audit", help="check every step of the named results (default: all)")
    a.add_argument("results", nargs="*", metavar="RESULT",
                   help=f"results to audit: {', '.join(DEFAULT.names())} (default: all)")
    a.add_argument("--format", choices=("text", "json", "table"), default="text",
                   help="text report, JSON document, or the Markdown coverage table")
    a.add_argument("--output", "-o", metavar="FILE",
                   help="write the report here, whole or not at all (default stdout)")
    a.add_argument("--timings", action="store_true",
                   help="text and table: show wall-clock times (JSON always has them); "
                        "without it two runs give the same report")
    add_run_options(a, engines=engines)
    a.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Exit status 0 when every repaired chain is PROVED, 1 otherwise."""
    from bebcheck.checks.audit import to_json, to_table, to_text
    from bebcheck.checks.engines import Verdict
    from bebcheck.proofs import DEFAULT

    chains = [DEFAULT.chain(n) for n in (args.results or DEFAULT.names())]  # names first
    if args.output is not None:
        check_output_path(args.output, "--output")
    elif not args.quiet:
        require_stdout()
    t0 = time.perf_counter()
    reports = audit_chains(args, chains)
    secs = time.perf_counter() - t0
    if args.format == "json":
        text = to_json(reports, secs, DEFAULT.citation)
    else:
        render = to_table if args.format == "table" else to_text
        text = render(reports, secs, timings=args.timings)
    if args.output is not None or not args.quiet:
        write_output(text, args.output)
    return 0 if all(r.repaired is Verdict.PROVED for r in reports) else 1
