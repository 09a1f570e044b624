"""Running an audit for a subcommand: shared options, the proof cache, progress, verbosity."""

from __future__ import annotations

import argparse
import os
import sys
import time
from typing import TYPE_CHECKING, Any

from .common import MAX_TIMEOUT_MS, bounded_int, check_output_path, write_output
from .streams import require_stdout, say

if TYPE_CHECKING:
    from bebcheck.checks.audit import ChainReport
    from bebcheck.symbolic.chain import Chain

__all__ = ["add_run_options", "audit_chains", "claim_output", "emit"]


def add_run_options(p: argparse.ArgumentParser, *, engines: int) -> None:
    """The options of every subcommand that runs an audit (``engines``: how many exist)."""
    p.add_argument("--certificates", metavar="DIR",
                   help="show as PROVED (certified) each PROVED obligation whose exact "
                        "certificate in DIR (from `bebcheck certify -o DIR`) the checker "
                        "accepts for this very query")
    p.add_argument("--timeout-ms", type=bounded_int(1, MAX_TIMEOUT_MS), default=5000,
                   metavar="MS", help="hard time limit per solver query, 1 to "
                                      f"{MAX_TIMEOUT_MS} (default 5000)")
    p.add_argument("--min-engines", type=bounded_int(1, engines), default=2, metavar="N",
                   help=f"engines that must prove an obligation for PROVED, 1 to {engines} "
                        "(default 2)")
    p.add_argument("--no-cache", action="store_true",
                   help="check every obligation from scratch: neither read nor write the "
                        "proof cache (default: reuse reports stored by content in "
                        "$BEBCHECK_CACHE_DIR or the user's cache directory; "
                        "BEBCHECK_NO_CACHE=1 also turns it off)")
    talk = p.add_mutually_exclusive_group()
    talk.add_argument("-q", "--quiet", action="store_true",
                      help="no progress bar and no report on standard output (a file named "
                           "by --output is still written): the exit status says it all")
    talk.add_argument("-v", "--verbose", action="store_true",
                      help="on standard error: engines, cache use and each result's verdict "
                           "and time")


def claim_output(args: argparse.Namespace) -> None:
    """Before any work: the ``--output`` file can be written, or standard output is open
    (unless ``--quiet`` says no report is wanted on it)."""
    if args.output is not None:
        check_output_path(args.output, "--output")
    elif not args.quiet:
        require_stdout()


def emit(args: argparse.Namespace, text: str) -> None:
    """Write the report to ``--output`` (whole or not at all) or standard output, unless
    ``--quiet`` leaves standard output alone."""
    if args.output is not None or not args.quiet:
        write_output(text, args.output)


def audit_chains(args: argparse.Namespace, chains: list[Chain]) -> list[ChainReport]:
    """Check ``chains`` under the options in ``args``, with a progress bar on a terminal."""
    from bebcheck.checks.audit import Checker, Policy
    from bebcheck.checks.audit.cache import ProofCache, default_directory

    certificates = getattr(args, "certificates", None)
    if certificates is not None and not os.path.isdir(certificates):
        from bebcheck.symbolic.errors import InputError

        raise InputError(f"--certificates {certificates}: not a directory")
    policy = Policy(min_engines=args.min_engines, timeout_ms=args.timeout_ms)
    where = None if args.no_cache else default_directory()
    store = ProofCache(where, policy) if where is not None else None
    t0 = time.perf_counter()
    total = sum(len(s.obligations) for c in chains for s in c.steps)
    with _progress(total, quiet=args.quiet) as bar, \
            Checker(policy, cache=store, lazy=store is not None) as checker:
        reports = checker.check_chains(chains, progress=bar.update if bar else None)
        missing = checker.missing
    if certificates is not None:
        from bebcheck.checks.certify.build import mark_certified

        marked = mark_certified(reports, certificates)
        if args.verbose:
            say(f"certificates {certificates}: {marked} obligation report(s) certified")
    if args.verbose:
        _tell(reports, missing, store, time.perf_counter() - t0)
    return reports


class _NoBar:
    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: object) -> None:
        return None


def _progress(total: int, *, quiet: bool) -> Any:
    """A tqdm bar on standard error when it is a terminal; nothing otherwise."""
    err = sys.stderr
    if quiet or err is None or not err.isatty():
        return _NoBar()
    from tqdm import tqdm

    try:  # a terminal that reports no size (a fresh pty): tqdm would draw nothing
        size = os.get_terminal_size(err.fileno())
    except (OSError, ValueError):
        size = os.terminal_size((0, 0))
    sized = size.columns > 0 and size.lines > 0
    return tqdm(total=total, unit="obligation", file=err, leave=False, desc="bebcheck",
                ncols=None if sized else 80, nrows=None if sized else 24,
                dynamic_ncols=sized)


def _tell(reports: list[ChainReport], missing: list[str], store: Any, secs: float) -> None:
    """The --verbose lines on standard error."""
    if missing:
        say(f"engines not available here: {', '.join(missing)}")
    if store is None:
        say("proof cache: off")
    else:
        say(f"proof cache {store.directory}: {store.hits} reused, {store.misses} checked, "
            f"{store.ignored} unusable entries ignored")
    for r in reports:
        say(f"{r.chain.result}: as printed {r.faithful.value}, repaired {r.repaired.value} "
            f"({r.seconds:.2f} s)")
    say(f"{len(reports)} results in {secs:.2f} s")
