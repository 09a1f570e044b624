"""``bebcheck audit``: every step of the named results, with verdicts."""

from __future__ import annotations

import argparse
import time
from typing import Any

from .formats import FORMATS, Rendering, render
from .running import add_run_options, audit_chains, claim_output, emit

__all__ = ["chosen_chains", "register", "run"]


def register(sub: Any) -> None:
    from bebcheck.checks.engines.registry import REGISTRY
    from bebcheck.proofs import DEFAULT

    engines = len(REGISTRY)
    a = sub.add_parser("audit", help="check every step of the named results (default: all)")
    a.add_argument("results", nargs="*", metavar="RESULT",
                   help=f"results to audit: {', '.join(DEFAULT.names())} (default: all)")
    a.add_argument("--format", choices=tuple(FORMATS), default="text",
                   help="; ".join(f"{k}: {v[2]}" for k, v in FORMATS.items())
                   + " (default text)")
    a.add_argument("--output", "-o", metavar="FILE",
                   help="write the report here, whole or not at all (default stdout)")
    a.add_argument("--timings", action="store_true",
                   help="text and table: show wall-clock times (JSON always has them; "
                        "SARIF, JUnit and HTML never); "
                        "without it two runs give the same report")
    add_run_options(a, engines=engines)
    a.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Exit status 0 when every repaired chain is PROVED, 1 otherwise."""
    from bebcheck.checks.engines import Verdict

    chosen, everything = chosen_chains(args.results, whole=FORMATS[args.format][1])
    claim_output(args)
    t0 = time.perf_counter()
    whole = audit_chains(args, everything)
    by_name = {str(r.chain.result): r for r in whole}
    reports = [by_name[n] for n in chosen]
    secs = time.perf_counter() - t0
    text = render(args.format, Rendering(reports, whole, secs, args.timings))
    emit(args, text)
    return 0 if all(r.repaired is Verdict.PROVED for r in reports) else 1


def chosen_chains(names: list[str], *, whole: bool) -> tuple[list[str], list[Any]]:
    """The results asked for (all when none is named: unknown names fail here, first) and the
    chains to check: those, or every chain when the format points into the whole errata."""
    from bebcheck.proofs import DEFAULT

    chains = [DEFAULT.chain(n) for n in (names or DEFAULT.names())]
    chosen = list(dict.fromkeys(str(c.result) for c in chains))
    if whole and len(chains) < len(DEFAULT.names()):
        chains = [DEFAULT.chain(n) for n in DEFAULT.names()]
    return chosen, chains
