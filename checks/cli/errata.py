"""``bebcheck errata``: the errata sheet, every finding with its evidence and correction."""

from __future__ import annotations

import argparse
from typing import Any

from .common import MAX_TIMEOUT_MS, bounded_int, check_output_path, write_output
from .streams import require_stdout

__all__ = ["register", "run"]


def register(sub: Any) -> None:
    e = sub.add_parser("errata", help="the errata sheet: every finding, with evidence and fix")
    e.add_argument("--format", choices=("md", "json"), default="md",
                   help="Markdown sheet or JSON document (default md)")
    e.add_argument("--output", "-o", metavar="FILE",
                   help="write the sheet here, whole or not at all (default stdout)")
    e.add_argument("--timeout-ms", type=bounded_int(1, MAX_TIMEOUT_MS), default=5000,
                   metavar="MS", help="hard time limit per solver query, 1 to "
                                      f"{MAX_TIMEOUT_MS} (default 5000)")
    e.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from bebcheck.checks.audit import Checker, Policy, collect
    from bebcheck.checks.audit.errata import to_json, to_markdown
    from bebcheck.proofs import DEFAULT

    if args.output is None:
        require_stdout()
    else:
        check_output_path(args.output, "--output")
    chains = [DEFAULT.chain(n) for n in DEFAULT.names()]
    with Checker(Policy(timeout_ms=args.timeout_ms)) as checker:
        errata = collect(checker.check_chains(chains))
    if args.format == "json":
        text = to_json(errata, DEFAULT.citation)
    else:
        text = to_markdown(errata, DEFAULT.citation, DEFAULT.title)
    write_output(text, args.output)
    return 0
