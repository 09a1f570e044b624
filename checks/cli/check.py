"""``bebcheck check FILE…``: audit the chains of spec files (any paper), as ``audit`` does the built-in one."""

from __future__ import annotations

import argparse
import os
import time
from typing import Any

from .formats import FORMATS, Rendering, render
from .running import add_run_options, audit_chains, claim_output, emit

__all__ = ["register", "run"]


def register(sub: Any) -> None:
    from bebcheck.checks.engines.registry import REGISTRY

    c = sub.add_parser("check", help="audit the chains of spec files (TOML; docs/spec-format.md)",
                       description="Audit every result of each spec file with the same runner, "
                                   "policy, verdicts and reports as `audit`.  A spec is read, "
                                   "never run: formulas are parsed by a whitelist, and a bad "
                                   "file is one line naming file, line and column (exit 2).")
    c.add_argument("files", nargs="+", metavar="FILE", help="spec files (.toml)")
    c.add_argument("--result", action="append", metavar="RESULT", default=[],
                   help="audit only this result (repeatable; default: every result)")
    c.add_argument("--format", choices=tuple(FORMATS), default="text",
                   help="as for audit (SARIF locates each finding at its step in the spec)")
    c.add_argument("--output", "-o", metavar="FILE",
                   help="write the report here, whole or not at all (default stdout)")
    c.add_argument("--timings", action="store_true", help="as for audit")
    add_run_options(c, engines=len(REGISTRY))
    c.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Exit status 0 when every repaired chain is PROVED, 1 otherwise (2: a bad spec)."""
    from bebcheck.checks.engines import Verdict
    from bebcheck.symbolic.errors import InputError, UnknownResultError
    from bebcheck.symbolic.spec import load_spec

    specs = [load_spec(f) for f in args.files]  # every file is read before any work
    files: dict[str, str] = {}
    for s in specs:
        for n in s.paper.names():
            if n in files:
                raise InputError(f"{s.path}: result {n!r} is also in {files[n]}")
            files[n] = os.path.relpath(s.path)
    chains = [s.paper.chain(n) for s in specs for n in s.paper.names()
              if not args.result or n in args.result]
    missing = set(args.result) - {str(c.result) for c in chains}
    if missing:
        raise UnknownResultError(f"no result {sorted(missing)[0]!r} in the spec files")
    claim_output(args)
    t0 = time.perf_counter()
    reports = audit_chains(args, chains)
    lines = {k: v for s in specs for k, v in s.step_lines.items()}
    job = Rendering(reports, reports, time.perf_counter() - t0, args.timings,
                    "; ".join(dict.fromkeys(s.paper.citation for s in specs)),
                    specs[0].paper.title, (files, lines))
    emit(args, render(args.format, job))
    return 0 if all(r.repaired is Verdict.PROVED for r in reports) else 1
