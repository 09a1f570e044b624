"""``bebcheck certify -o DIR`` and ``bebcheck verify-certificates DIR``: exact certificates."""

from __future__ import annotations

import argparse
import json
import os
from pathlib import Path
from typing import Any

from bebcheck.symbolic.errors import InputError

from .common import MAX_TIMEOUT_MS, bounded_int, check_output_path, write_output
from .streams import require_stdout

__all__ = ["register", "run_certify", "run_verify"]


def register(sub: Any) -> None:
    """Both subcommands; nothing heavy is imported here (``verify-certificates`` never loads
    sympy, a solver or bebcheck's engines)."""
    c = sub.add_parser(
        "certify", help="write exact certificates for the PROVED obligations",
        description="Audit (the proof cache makes this quick), then search each PROVED "
                    "obligation's query for a certificate (case splits; Farkas, Schmüdgen "
                    "products or sums of squares, exact rationals) and keep those that the "
                    "standalone checker accepts.  DIR gets one JSON file per certificate and "
                    "index.json, which says for each PROVED obligation without one why not.")
    c.add_argument("results", nargs="*", metavar="RESULT",
                   help="results to certify (default: all; `bebcheck results` lists them)")
    c.add_argument("--output", "-o", metavar="DIR", required=True,
                   help="directory for the certificates (made if missing; earlier "
                        "certificates in it are replaced)")
    c.add_argument("--spec", action="append", metavar="FILE", default=[],
                   help="certify the results of this spec file instead (repeatable)")
    c.add_argument("--timeout-ms", type=bounded_int(1, MAX_TIMEOUT_MS), default=5000,
                   metavar="MS", help="hard time limit per solver query in the audit, 1 to "
                                      f"{MAX_TIMEOUT_MS} (default 5000)")
    c.add_argument("--no-cache", action="store_true", help="as for audit")
    talk = c.add_mutually_exclusive_group()
    talk.add_argument("-q", "--quiet", action="store_true", help="print nothing")
    talk.add_argument("-v", "--verbose", action="store_true",
                      help="on standard error: what the audit did")
    c.set_defaults(handler=run_certify, min_engines=2)

    v = sub.add_parser(
        "verify-certificates", help="re-check certificates with the small exact checker",
        description="Check every certificate in DIR with bebcheck/checks/certify/checker.py "
                    "(standard library only; `python checker.py DIR` does the same).  Exit 0 "
                    "when there are certificates and all are accepted, 1 otherwise.")
    v.add_argument("directory", metavar="DIR")
    v.add_argument("--audit", metavar="FILE",
                   help="a `bebcheck audit --format json` report: each certificate must be for "
                        "the very query that report shows for its obligation")
    v.add_argument("--format", choices=("text", "json"), default="text")
    v.add_argument("--output", "-o", metavar="FILE",
                   help="write the result here, whole or not at all (default stdout)")
    v.set_defaults(handler=run_verify)


def _chains(args: argparse.Namespace) -> list[Any]:
    if args.spec:
        from bebcheck.symbolic.spec import load_spec

        specs = [load_spec(f) for f in args.spec]
        return [s.paper.chain(n) for s in specs for n in s.paper.names()
                if not args.results or n in args.results]
    from bebcheck.proofs import DEFAULT

    return [DEFAULT.chain(n) for n in (args.results or DEFAULT.names())]


def _directory(path: str) -> Path:
    """The output directory, made if missing (its parent must exist)."""
    d = Path(path)
    if d.exists() and not d.is_dir():
        raise InputError(f"--output {path}: not a directory")
    if not d.exists():
        if not d.resolve().parent.is_dir():
            raise InputError(f"--output {path}: directory {d.resolve().parent} does not exist")
        d.mkdir()
    check_output_path(str(d / "index.json"), "--output")
    return d


def _stale(d: Path, keep: set[str]) -> None:
    """Remove certificates an earlier run left in ``d`` that this run did not write."""
    for f in d.glob("*.json"):
        if f.name in keep:
            continue
        try:
            if json.loads(f.read_text(encoding="utf-8")).get("format", "").startswith(
                    "bebcheck-certificate-1"):
                f.unlink()
        except (OSError, ValueError, AttributeError):
            continue


def run_certify(args: argparse.Namespace) -> int:
    """Exit 0 once the certificates are written (not every obligation need have one)."""
    import importlib.util

    missing = [m for m in ("scipy", "cvxpy") if importlib.util.find_spec(m) is None]
    if missing:
        raise InputError(f"certify needs {', '.join(missing)}: pip install 'bebcheck[certify]'")
    from bebcheck.checks.certify.build import certify_reports

    from .running import audit_chains

    chains = _chains(args)
    d = _directory(args.output)
    if not args.quiet:
        require_stdout()
    reports = audit_chains(args, chains)
    written: set[str] = set()

    def write(path: str, text: str) -> None:
        written.add(os.path.basename(path))
        write_output(text, path)

    summary = certify_reports(reports, str(d), write)
    _stale(d, written)
    if not args.quiet:
        n, k = len(summary.outcomes), summary.certified
        lines = [f"certified {k} of {n} PROVED obligations ({100 * k / max(n, 1):.1f}%) "
                 f"in {summary.seconds:.1f} s; certificates in {args.output}"]
        lines += [f"  not certified: {o.id} — {o.reason}" for o in summary.outcomes if o.doc is None]
        write_output("\n".join(lines) + "\n", None)
    return 0


def run_verify(args: argparse.Namespace) -> int:
    """Exit 0 when there are certificates and the checker accepts every one, 1 otherwise."""
    from bebcheck.checks.certify import checker

    if not os.path.isdir(args.directory):
        raise InputError(f"verify-certificates: {args.directory}: not a directory")
    if args.audit is not None and not os.path.isfile(args.audit):
        raise InputError(f"--audit {args.audit}: no such file")
    if args.output is not None:
        check_output_path(args.output, "--output")
    try:
        got = checker.check_dir(args.directory, args.audit)
    except (ValueError, KeyError, TypeError) as e:
        raise InputError(f"--audit {args.audit}: not an audit JSON report ({e})") from None
    bad = {n: w for n, w in got.items() if w}
    if args.format == "json":
        text = json.dumps({"accepted": [n for n, w in got.items() if not w],
                           "rejected": bad}, indent=1, ensure_ascii=False) + "\n"
    else:
        text = "".join(f"REJECTED {n}: {w}\n" if w else f"ok       {n}\n" for n, w in got.items())
        text += f"{len(got) - len(bad)} accepted, {len(bad)} rejected\n"
    write_output(text, args.output)
    return 1 if bad or not got else 0
