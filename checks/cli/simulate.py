"""``bebcheck simulate RESULT``: run a result's experiment on synthetic persona mixtures."""

from __future__ import annotations

import argparse
from typing import Any

from bebcheck.checks.sim import EXPERIMENTS, check_plot_path, plot
from bebcheck.proofs.beb_v1.results import ResultId
from bebcheck.symbolic.errors import InputError

from .common import atomic_path, check_output_path, parse_int
from .streams import require_stdout

__all__ = ["MAX_MODELS", "MAX_SEED", "register", "run"]

MAX_MODELS = 100_000
"""Random models a run may draw (about 1-3 ms each: a few minutes at most)."""
MAX_SEED = 2**64 - 1


def _result_id(raw: object) -> ResultId:
    """The result to simulate (case-insensitive, ``-`` read as ``_``), one with an experiment."""
    name = str(raw).strip().lower().replace("-", "_")
    try:
        rid: ResultId | None = ResultId(name)
    except ValueError:
        rid = None
    if rid is None or rid not in EXPERIMENTS:
        raise InputError(f"unknown result {raw!r} to simulate; known: " + ", ".join(EXPERIMENTS))
    return rid


def _int_arg(name: str, raw: object, minimum: int, maximum: int) -> int:
    try:
        return parse_int(str(raw), minimum, maximum)
    except ValueError:
        pass
    try:
        v = parse_int(str(raw), -(10**30), 10**30)
    except ValueError:
        raise InputError(f"{name} {raw!r} is not an integer") from None
    if v < minimum:
        raise InputError(f"{name} {v} must be at least {minimum}")
    raise InputError(f"{name} {v} must be at most {maximum}")


def run(args: argparse.Namespace) -> int:
    """Run the experiment, print its report, plot it; 0 iff no repaired length failed."""
    rid = _result_id(args.result)
    seed = _int_arg("--seed", args.seed, 0, MAX_SEED)
    models = _int_arg("--models", args.models, 1, MAX_MODELS)
    if args.plot is not None:  # validate before the work
        check_output_path(args.plot, "--plot")
        check_plot_path(args.plot)
    out = require_stdout()
    res = EXPERIMENTS[rid](seed=seed, models=models)
    out.write("\n".join(res.lines()) + "\n")
    if args.plot is not None:
        if res.plot_data is None:
            raise InputError(f"{rid}: no qualifying model to plot; try more --models")
        with atomic_path(args.plot) as tmp:
            plot(res.plot_data, tmp)
        out.write(f"  plot: {args.plot}\n")
    return 0 if res.ok else 1


def register(sub: Any) -> None:
    """Add ``simulate RESULT [--seed N] [--models N] [--plot FILE]``; the handler is ``run``."""
    p = sub.add_parser(
        "simulate", help="run the proofs' adversaries on random Markov persona mixtures")
    p.add_argument("result", metavar="RESULT", help="one of: " + ", ".join(EXPERIMENTS))
    p.add_argument("--seed", default="0", metavar="N",
                   help=f"random seed, 0 to 2**64-1 = {MAX_SEED} (default 0)")
    p.add_argument("--models", default="1000", metavar="N",
                   help=f"random models to draw, 1 to {MAX_MODELS} (default 1000)")
    p.add_argument("--plot", metavar="FILE",
                   help="plot B_P against prompt length to FILE (.png, .svg or .pdf), "
                        "written whole or not at all")
    p.set_defaults(handler=run)
