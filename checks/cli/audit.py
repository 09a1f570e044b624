"""``bebcheck audit``: every step of the named results, with verdicts."""

from __future__ import annotations

import argparse
import time
from typing import Any

from .common import MAX_TIMEOUT_MS, bounded_int, check_output_path, write_output
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
    a.add_argument("--timeout-ms", type=bounded_int(1, MAX_TIMEOUT_MS), default=5000,
                   metavar="MS", help="hard time limit per solver query, 1 to "
                                      f"{MAX_TIMEOUT_MS} (default 5000)")
    a.add_argument("--min-engines", type=bounded_int(1, engines), default=2, metavar="N",
                   help=f"engines that must prove an obligation for PROVED, 1 to {engines} "
                        "(default 2)")
    a.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Exit status 0 when every repaired chain is PROVED, 1 otherwise."""
    from bebcheck.checks.audit import Checker, Policy, to_json, to_table, to_text
    from bebcheck.checks.engines import Verdict
    from bebcheck.proofs import DEFAULT

    chains = [DEFAULT.chain(n) for n in (args.results or DEFAULT.names())]  # names first
    if args.output is None:
        require_stdout()
    else:
        check_output_path(args.output, "--output")
    t0 = time.perf_counter()
    with Checker(Policy(min_engines=args.min_engines, timeout_ms=args.timeout_ms)) as checker:
        reports = checker.check_chains(chains)
    secs = time.perf_counter() - t0
    if args.format == "json":
        text = to_json(reports, secs, DEFAULT.citation)
    else:
        render = to_table if args.format == "table" else to_text
        text = render(reports, secs, timings=args.timings)
    write_output(text, args.output)
    return 0 if all(r.repaired is Verdict.PROVED for r in reports) else 1
