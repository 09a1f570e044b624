"""``bebcheck report``: one audit written in several formats at once (HTML, SARIF, JUnit, JSON)."""

from __future__ import annotations

import argparse
import contextlib
import os
import time
from typing import Any

from bebcheck.symbolic.errors import InputError

from .audit import chosen_chains
from .common import atomic_path, check_output_path
from .formats import FORMATS, Rendering, render
from .running import add_run_options, audit_chains

__all__ = ["WRITES", "register", "run"]

WRITES = ("html", "sarif", "junit", "json", "text")
"""The formats ``report`` writes, each to the file its option names."""


def register(sub: Any) -> None:
    from bebcheck.checks.engines.registry import REGISTRY
    from bebcheck.proofs import DEFAULT

    r = sub.add_parser("report", help="audit once, write reports in several formats: HTML "
                                      "for reviewers, SARIF and JUnit for CI, JSON")
    r.add_argument("results", nargs="*", metavar="RESULT",
                   help=f"results to report: {', '.join(DEFAULT.names())} (default: all)")
    for fmt in WRITES:
        r.add_argument(f"--{fmt}", metavar="FILE",
                       help=f"write {FORMATS[fmt][2]} here (whole or not at all)")
    add_run_options(r, engines=len(REGISTRY))
    r.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Exit status as ``audit``'s: 0 when every repaired chain is PROVED, 1 otherwise."""
    from bebcheck.checks.engines import Verdict

    targets = [(fmt, getattr(args, fmt)) for fmt in WRITES if getattr(args, fmt)]
    if not targets:
        raise InputError("report: name at least one file: "
                         + ", ".join(f"--{f} FILE" for f in WRITES))
    chosen, everything = chosen_chains(args.results,
                                       whole=any(FORMATS[f][1] for f, _ in targets))
    seen: dict[str, str] = {}
    for fmt, path in targets:
        check_output_path(path, f"--{fmt}")
        real = os.path.realpath(path)
        if real in seen:
            raise InputError(f"report: --{seen[real]} and --{fmt} name the same file: {path}")
        seen[real] = fmt
    t0 = time.perf_counter()
    whole = audit_chains(args, everything)
    by_name = {str(r.chain.result): r for r in whole}
    reports = [by_name[n] for n in chosen]
    job = Rendering(reports, whole, time.perf_counter() - t0)
    texts = [(render(fmt, job), path) for fmt, path in targets]
    with contextlib.ExitStack() as stack:  # every file written before any is replaced
        for text, path in texts:
            tmp = stack.enter_context(atomic_path(path))
            with open(tmp, "w", encoding="utf-8") as fh:
                fh.write(text)
    return 0 if all(r.repaired is Verdict.PROVED for r in reports) else 1
