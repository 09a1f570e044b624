"""``bebcheck errata``: the errata sheet, every finding with its evidence and correction."""

from __future__ import annotations

import argparse
from typing import Any

from .running import add_run_options, audit_chains, claim_output, emit

__all__ = ["register", "run"]


def register(sub: Any) -> None:
    from bebcheck.checks.engines.registry import REGISTRY

    e = sub.add_parser("errata", help="the errata sheet: every finding, with evidence and fix")
    e.add_argument("specs", nargs="*", metavar="SPEC",
                   help="spec files whose errata to give (default: the built-in paper, "
                        "arXiv 2304.11082v1)")
    e.add_argument("--format", choices=("md", "json"), default="md",
                   help="Markdown sheet or JSON document (default md)")
    e.add_argument("--output", "-o", metavar="FILE",
                   help="write the sheet here, whole or not at all (default stdout)")
    add_run_options(e, engines=len(REGISTRY))
    e.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from bebcheck.checks.audit import collect
    from bebcheck.checks.audit.errata import to_json, to_markdown
    from bebcheck.proofs import DEFAULT
    from bebcheck.symbolic.spec import load_spec

    papers = [load_spec(f).paper for f in args.specs] or [DEFAULT]  # specs read first
    claim_output(args)
    chains = [p.chain(n) for p in papers for n in p.names()]
    errata = collect(audit_chains(args, chains))
    citation = "; ".join(dict.fromkeys(p.citation for p in papers))
    if args.format == "json":
        text = to_json(errata, citation)
    else:
        text = to_markdown(errata, citation, papers[0].title)
    emit(args, text)
    return 0
