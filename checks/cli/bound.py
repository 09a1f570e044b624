"""The ``bebcheck bound`` and ``bebcheck plot`` subcommands: prompt lengths, grids and figures.

``register(subparsers)`` adds both to an argparse subparsers object; each parser's default
``handler`` is the function to call with the parsed namespace (it returns the exit code and
raises :class:`~bebcheck.symbolic.errors.InputError` for bad input, never a traceback).

``bebcheck bound RESULT --alpha A --beta B --gamma G --eps E [--c C] [--s0 S] [--phi P]
[--reply R] [--best] [--turn L]`` prints the length, the dominant term and the
paper-as-printed length; ``--best`` adds the best length the repaired proof allows
(:mod:`bebcheck.proofs.beb_v1.best`) and its ratio to the repaired one, and ``--turn L``
(Theorem 3, implies ``--best``) the total for user turns of at most L sentences.  A single
point is evaluated exactly at the decimal values typed (``--beta 0.1`` is 1/10) by the oracle;
any parameter given as a range ``LO:HI:Nlog`` or ``LO:HI:Nlin`` makes a grid (the Cartesian
product of the ranges, at binary64 values, by the NumPy reference), written as CSV with both
lengths.  A negative range needs ``=``: ``--gamma=-1:-0.1:10lin``.  The parameters, their
domains, defaults and help come from :data:`bebcheck.proofs.beb_v1.params.USER_PARAMS`.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import math
import os
import re
import stat
from collections.abc import Callable, Sequence
from fractions import Fraction
from pathlib import Path
from typing import Any

import mpmath
import numpy as np

from bebcheck.checks import numeric
from bebcheck.checks.numeric import DEFAULTS, DOMAINS, PARAMS, oracle
from bebcheck.proofs.beb_v1.best import BEST, BEST_PARAMS
from bebcheck.proofs.beb_v1.best import best as best_bound
from bebcheck.proofs.beb_v1.bounds import BOUNDS, bound, eps_prime
from bebcheck.proofs.beb_v1.params import USER_PARAMS
from bebcheck.proofs.beb_v1.results import ResultId
from bebcheck.symbolic.bounds import BoundKind, LengthBound
from bebcheck.symbolic.errors import InputError
from bebcheck.symbolic.params import Param

from .common import atomic_path, check_output_path
from .streams import require_stdout

__all__ = ["FIGURES", "LIMITS", "MAX_DIGITS", "MAX_EXP10", "MAX_GRID", "bound_command",
           "parse_value", "plot_command", "register"]

MAX_GRID = 1_000_000
"""Points of a range, and rows of a CSV grid (the product of the ranges)."""
MAX_DIGITS = 100
"""Digits of a number as typed (mantissa; numerator and denominator of p/q)."""
MAX_EXP10 = 1000
"""A nonzero number's magnitude: 1e-1000 <= |x| <= 1e1000 (the exact evaluation of every bound
then takes well under a second; beyond, lengths outgrow what can be printed exactly)."""
_HIGH = Fraction(10) ** MAX_EXP10
_LOW = 1 / _HIGH
_RANGE = re.compile(r"^\s*(?P<lo>[^:]+):(?P<hi>[^:]+):(?P<n>[0-9]+)(?P<sp>log|lin)\s*$")
_DECIMAL = re.compile(r"[+-]?(?P<m>[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE](?P<e>[+-]?[0-9]+))?")
_RATIO = re.compile(r"[+-]?(?P<p>[0-9]+)/(?P<q>[0-9]+)")
_MAGNITUDE = f"0 or 1e-{MAX_EXP10} <= |X| <= 1e{MAX_EXP10}"
LIMITS = (f"X has at most {MAX_DIGITS} digits and is {_MAGNITUDE}; a range has at most "
          f"{MAX_GRID} points")
"""The limits on a parameter's value, as its ``--help`` states them."""
_TURN_BASED: frozenset[ResultId] = frozenset({ResultId.THEOREM3})
"""Bounds whose threshold is q * turns - 1/2: a negative one means no turn is needed."""


def _help(p: Param) -> str:
    """An option's help from the declaration: meaning, domain, default, the results using it."""
    domain = p.requirement().removeprefix("must be ").removesuffix(f" ({p.meaning})")
    text = f"{p.meaning}; {domain}"
    if p.default is not None:
        text += f" (default {p.default})"
    used = [str(r) for r, b in BOUNDS.items() if p.name in b.params]
    best_only = [f"{r} --best" for r, b in BEST.items()
                 if p.name in b.params and p.name not in BOUNDS[r].params]
    if len(used) < len(BOUNDS):
        text += f"; used by {', '.join(used + best_only)}"
    text += f" ({LIMITS})"
    return text.replace("%", "%%")  # argparse formats help with %


# ---------------------------------------------------------------------------------------------
# parsing


def _shape(name: str, text: str) -> None:
    """Reject text that is not a plain ASCII number (decimal, exponent, or p/q) or is too
    long, before ``Fraction`` reads it (``1e-99999999`` would take forever)."""
    t = text.strip()
    if m := _DECIMAL.fullmatch(t):
        digits = len(m["m"].replace(".", ""))
        exp = (m["e"] or "0").lstrip("+-").lstrip("0")
        if len(exp) > 6 or int(exp or "0") > MAX_EXP10 + MAX_DIGITS:
            raise InputError(f"{name}: {t!r} is out of range: it must be {_MAGNITUDE}")
    elif m := _RATIO.fullmatch(t):
        digits = max(len(m["p"]), len(m["q"]))
        if int(m["q"]) == 0:
            raise InputError(f"{name}: {t!r} divides by zero")
    else:
        low = t.lower().lstrip("+-")
        if low in ("nan", "inf", "infinity"):
            raise InputError(f"{name} must be a finite number; got {text!r}")
        raise InputError(f"{name}: not a number or a range LO:HI:N(log|lin): {text!r}")
    if digits > MAX_DIGITS:
        raise InputError(f"{name}: {t[:20]!r}... has {digits} digits; at most {MAX_DIGITS}")


def _number(name: str, text: str) -> Fraction:
    """``text`` as an exact rational: ``0.1`` is 1/10, ``1/3`` is 1/3 (InputError if it is not
    a number or is out of range)."""
    _shape(name, text)
    v = Fraction(text.strip())
    if v != 0 and not _LOW <= abs(v) <= _HIGH:
        raise InputError(f"{name}: {text.strip()!r} is out of range: it must be {_MAGNITUDE}")
    return v


def parse_value(name: str, text: str) -> Fraction | np.ndarray:
    """A number (exact, as typed) or the grid of a range ``LO:HI:Nlog`` / ``LO:HI:Nlin``."""
    if name not in PARAMS:
        raise InputError(f"unknown parameter {name!r}")
    m = _RANGE.match(text)
    if m is None:
        if ":" in text:
            raise InputError(f"{name}: a range is LO:HI:N(log|lin), e.g. 1e-6:1e-2:20log; "
                             f"got {text!r}")
        return _number(name, text)
    ends = _number(name, m["lo"]), _number(name, m["hi"])
    try:
        lo, hi = (float(x) for x in ends)
    except OverflowError:
        raise InputError(f"{name}: range ends must be within binary64; got {text!r}") from None
    if any(x != 0 and float(x) == 0 for x in ends):
        raise InputError(f"{name}: range ends must be 0 or within binary64 (|x| >= 5e-324); "
                         f"got {text!r}")
    n = int(m["n"]) if len(m["n"].lstrip("0")) <= len(str(MAX_GRID)) else MAX_GRID + 1
    if not 1 <= n <= MAX_GRID:
        raise InputError(f"{name}: a range needs 1 to {MAX_GRID} points; got {n}")
    if not (math.isfinite(lo) and math.isfinite(hi)):
        raise InputError(f"{name} range ends must be finite; got {text!r}")
    if m["sp"] == "log":
        if lo == 0 or hi == 0 or (lo < 0) != (hi < 0):
            raise InputError(f"{name}: a log range needs nonzero ends of one sign; got {text!r}")
        vals = np.geomspace(lo, hi, n)
    else:
        vals = np.linspace(lo, hi, n)
    if DOMAINS[name].integer and not np.array_equal(vals, np.rint(vals)):
        raise InputError(f"{name} is an integer; the range {text!r} has non-integer points "
                         f"(choose N so that the steps are whole)")
    DOMAINS[name].check(vals)
    return vals


def _gather(args: argparse.Namespace, b: LengthBound) -> tuple[dict[str, Any], list[str]]:
    """Parsed values of the bound's parameters (defaults filled), and ignored given ones."""
    vals: dict[str, Any] = {}
    ignored = []
    for name in PARAMS:
        text = getattr(args, name, None)
        if text is None:
            continue
        v = parse_value(name, str(text))
        if isinstance(v, Fraction) and not DOMAINS[name].contains(v):
            raise InputError(DOMAINS[name].rejects(str(text).strip()))
        if name in b.params:
            vals[name] = v
        else:
            ignored.append(name)
    for name in b.params:
        if name not in vals:
            if name not in DEFAULTS:
                raise InputError(f"{b.result} needs --{name}")
            vals[name] = DEFAULTS[name]
    return vals, ignored


# ---------------------------------------------------------------------------------------------
# bebcheck bound


def _fmt_num(x: Any, digits: int = 12) -> str:
    if isinstance(x, Fraction):
        if x.denominator == 1 and abs(x) < 10**15:
            return str(x.numerator)
        try:
            f = float(x)
        except OverflowError:
            return _fmt_big(x)
        return _fmt_big(x) if f == 0 and x != 0 else f"{f:.{digits}g}"
    try:
        return f"{float(x):.{digits}g}"
    except OverflowError:
        return str(x)


def _fmt_big(x: Fraction) -> str:
    """A rational outside binary64's range, as its order of magnitude (from bit lengths)."""
    sign = "-" if x < 0 else ""
    x = abs(x)
    e = round((x.numerator.bit_length() - x.denominator.bit_length()) * 0.30103)
    return f"{sign}~1e{e}"


def _fmt_int(n: int) -> str:
    """Exact decimal up to 4000 digits; beyond, the digit count (Python's str limit is 4300)."""
    try:
        return str(n)
    except ValueError:
        return f"<an exact integer of about {int(n.bit_length() * 0.30103)} digits>"


def _fmt_len(n: int, unit: str) -> str:
    s = f"{_fmt_int(n)} {unit}"
    if n >= 10**15:
        try:
            s += f" (~{float(n):.4e})"
        except OverflowError:
            s += f" (~1e{int(n.bit_length() * 0.30103)})"
    return s


def _point_text(b: LengthBound, vals: dict[str, Any], given: set[str]) -> str:
    parts = []
    for name in b.params:
        v = vals[name]
        parts.append(f"{name}={_fmt_num(v)}" + ("" if name in given else " (default)"))
    return ", ".join(parts)


def _length_line(b: LengthBound, v: oracle.OracleValue, best: bool = False) -> str:
    word = "|s1| <" if b.kind is BoundKind.BELOW else "n >"
    t = v.threshold
    if t == float("-inf") or (b.result in _TURN_BASED and v.length == 0 and t < 0):
        how = ("T <= 0" if v.paper else "no new sentence needed" if best
               else "no prompt needed: eps >= 1 + gamma'")
        return f"{_fmt_len(v.length, b.unit)}  ({how})"
    return f"{_fmt_len(v.length, b.unit)}  ({word} T = {_fmt_num(t)})"


def _ratio(best: int, rep: int) -> Fraction | None:
    """best / repaired, exactly (None when the repaired length is 0 and the best is not)."""
    if rep == 0:
        return Fraction(1) if best == 0 else None
    return Fraction(best, rep)


def _best_lines(b: LengthBound, bb: LengthBound, vals: dict[str, Any],
                rep: oracle.OracleValue) -> tuple[str, oracle.OracleValue]:
    """The best length's lines (length, ratio to the repaired one, its dominant term)."""
    point = {k: vals[k] for k in bb.params}
    bv = oracle.evaluate_point(b.result, point, best=True)
    terms = oracle.terms(b.result, point, best=True)
    dom = max(terms, key=lambda k: terms[k])
    label = "largest safe |s1|" if b.kind is BoundKind.BELOW else "length"
    r = _ratio(bv.length, rep.length)
    shown = "n/a (the repaired length is 0)" if r is None else \
        f"{_fmt_num(r, 4)} ({_fmt_int(bv.length)} / {_fmt_int(rep.length)})"
    out = (f"  {label} (best the proof allows): {_length_line(b, bv, best=True)}\n"
           f"  best / repaired: {shown}\n"
           f"  dominant term (best): {bb.term(dom).label} = {_fmt_num(terms[dom])}\n")
    return out, bv


def _single(b: LengthBound, vals: dict[str, Any], given: set[str], paper: bool,
            ignored: list[str], bb: LengthBound | None = None) -> str:
    point = {k: vals[k] for k in b.params}
    rep = oracle.evaluate_point(b.result, point, paper=False)
    pap = oracle.evaluate_point(b.result, point, paper=True)
    terms = oracle.terms(b.result, point)
    dom = max(terms, key=lambda k: terms[k])
    out = io.StringIO()
    label = "largest safe |s1|" if b.kind is BoundKind.BELOW else "length"
    out.write(f"{b.result}: {_point_text(bb or b, vals, given)}\n")
    if ignored:
        out.write(f"  (not used by {b.result}: {', '.join(ignored)})\n")
    best = None
    if bb is not None:
        lines, best = _best_lines(b, bb, vals, rep)
        out.write(lines)
    first, second = (pap, rep) if paper else (rep, pap)
    name1, name2 = ("paper as printed", "repaired") if paper else ("repaired", "paper as printed")
    out.write(f"  {label} ({name1}): {_length_line(b, first)}\n")
    out.write(f"  dominant term (repaired): {b.term(dom).label} = {_fmt_num(terms[dom])}\n")
    out.write(f"  {label} ({name2}): {_length_line(b, second)}\n")
    out.write(_float_note(b, bb, vals, rep, pap, best))
    return out.getvalue()


def _float_note(b: LengthBound, bb: LengthBound | None, vals: dict[str, Any],
                rep: oracle.OracleValue, pap: oracle.OracleValue,
                best: oracle.OracleValue | None) -> str:
    """The same point at the binary64 values of the inputs (what a grid would use)."""
    sides = [("repaired", rep, b, False), ("paper as printed", pap, b, True)]
    if bb is not None and best is not None:
        sides.append(("best", best, bb, False))
    out = []
    try:
        for tag, ov, lb, paper in sides:
            fl = {k: float(vals[k]) for k in lb.params}
            if any((v == 0 and vals[k] != 0) or math.isinf(v) for k, v in fl.items()):
                raise OverflowError
            n = numeric.compute(b.result, paper=paper, best=lb is bb, **fl).length.reshape(-1)[0]
            if int(n) != ov.length:
                out.append(f"  note: at the binary64 values of the inputs the {tag} length is "
                           f"{_fmt_int(int(n))}\n")
    except (OverflowError, InputError):
        return "  note: the inputs are outside binary64; only the exact evaluation applies\n"
    return "".join(out)


def _binary64(name: str, v: Fraction) -> float:
    """A grid's fixed value as binary64 (a grid is computed in binary64)."""
    try:
        f = float(v)
    except OverflowError:
        f = math.inf
    if math.isinf(f) or (f == 0 and v != 0):
        raise InputError(f"{name} = {_fmt_num(v)} is outside binary64, which a grid (or --csv) "
                         "is computed in; leave out --csv for the exact value")
    return f


def _grid_size(b: LengthBound, vals: dict[str, Any]) -> int:
    """Rows of the grid (InputError beyond :data:`MAX_GRID`, before anything is computed)."""
    size = math.prod(len(vals[k]) for k in b.params if isinstance(vals[k], np.ndarray))
    if size > MAX_GRID:
        raise InputError(f"the grid has {size} points; at most {MAX_GRID}")
    return size


_COLUMNS = ("threshold", "length", "paper_threshold", "paper_length", "dominant_term")
_BEST_COLUMNS = ("best_threshold", "best_length", "best_over_repaired")
"""The grid's columns with ``--best`` (the ratio empty where the repaired length is 0)."""


def _grid_cols(b: LengthBound, vals: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    """The grid's points as flat arrays of ``b``'s parameters (its size first)."""
    axes = [k for k in b.params if isinstance(vals[k], np.ndarray)]
    size = _grid_size(b, vals)
    mesh = np.meshgrid(*(vals[k] for k in axes), indexing="ij")
    cols = {k: m.reshape(-1) for k, m in zip(axes, mesh, strict=True)}
    for k in b.params:
        if k not in cols:
            cols[k] = np.full(size, vals[k])
    return size, cols


def _grid_rows(b: LengthBound, vals: dict[str, Any], bb: LengthBound | None = None
               ) -> list[list[str]]:
    """The grid's rows (binary64 inputs as ``repr`` of floats), columns ``params + _COLUMNS``
    (and ``_BEST_COLUMNS`` with a best bound ``bb``, whose parameters then lead)."""
    size, cols = _grid_cols(bb or b, vals)
    mine = {k: cols[k] for k in b.params}
    rep = numeric.compute(b.result, dominance=True, **mine)
    pap = numeric.compute(b.result, paper=True, **mine)
    labels = [t.label for t in rep.terms]
    dom = rep.dominant if rep.dominant is not None else np.zeros(size, dtype=np.intp)
    rows = [[*(repr(float(cols[k][i])) if not DOMAINS[k].integer
               else str(int(cols[k][i])) for k in (bb or b).params),
             repr(float(rep.threshold[i])), str(int(rep.length[i])),
             repr(float(pap.threshold[i])), str(int(pap.length[i])), labels[int(dom[i])]]
            for i in range(size)]
    if bb is not None:
        bv = numeric.compute(b.result, best=True, **cols)
        for i, row in enumerate(rows):
            r = _ratio(int(bv.length[i]), int(rep.length[i]))
            row += [repr(float(bv.threshold[i])), str(int(bv.length[i])),
                    "" if r is None else repr(float(r))]
    return rows


def _grid_csv(b: LengthBound, vals: dict[str, Any], fh: Any,
              bb: LengthBound | None = None) -> int:
    rows = _grid_rows(b, vals, bb)
    w = csv.writer(fh, lineterminator="\n")
    w.writerow([*(bb or b).params, *_COLUMNS, *(_BEST_COLUMNS if bb else ())])
    w.writerows(rows)
    return len(rows)


def _grid_json(b: LengthBound, vals: dict[str, Any], bb: LengthBound | None = None) -> str:
    """The grid as JSON: numbers as JSON numbers (binary64 inputs, integer lengths)."""
    params = (bb or b).params
    rows = []
    for r in _grid_rows(b, vals, bb):
        row: dict[str, Any] = {k: (int(v) if DOMAINS[k].integer else float(v))
                               for k, v in zip(params, r, strict=False)}
        t, n, pt, pn, dom = r[len(params):len(params) + 5]
        row.update(threshold=_finite_or_text(float(t)), length=int(n),
                   paper_threshold=_finite_or_text(float(pt)), paper_length=int(pn),
                   dominant_term=dom)
        if bb is not None:
            bt, bn, ratio = r[len(params) + 5:]
            row.update(best_threshold=_finite_or_text(float(bt)), best_length=int(bn),
                       best_over_repaired=float(ratio) if ratio else None)
        rows.append(row)
    return json.dumps({"result": b.result, "unit": b.unit, "kind": b.kind.value,
                       "inputs": "binary64", "rows": rows}, indent=2,
                      allow_nan=False, default=str) + "\n"


def _exact_text(x: Any) -> str:
    """A threshold or term as decimal text, 17 digits, at any magnitude (no binary64 overflow:
    ``4.6821312271242205e+320``), or ``inf`` / ``-inf``."""
    if isinstance(x, Fraction):
        x = mpmath.mpf(x.numerator) / x.denominator
    return mpmath.nstr(mpmath.mpf(x), 17, min_fixed=-4, max_fixed=17)


def _finite_or_text(x: float) -> float | str:
    """A binary64 value for JSON: the number, or ``"inf"`` / ``"-inf"`` / ``"nan"`` as text
    (JSON has no such numbers)."""
    return x if math.isfinite(x) else repr(x)


def _single_json(b: LengthBound, vals: dict[str, Any], given: set[str],
                 bb: LengthBound | None = None) -> str:
    """One point, exactly: inputs as typed (p/q), lengths as integers, thresholds in decimal."""
    point = {k: vals[k] for k in b.params}
    rep = oracle.evaluate_point(b.result, point, paper=False)
    pap = oracle.evaluate_point(b.result, point, paper=True)
    terms = oracle.terms(b.result, point)
    dom = max(terms, key=lambda k: terms[k])

    def side(v: oracle.OracleValue) -> dict[str, Any]:
        return {"length": v.length, "threshold": _exact_text(v.threshold)}

    shown = bb or b
    doc: dict[str, Any] = {
        "result": b.result, "unit": b.unit, "kind": b.kind.value,
        "inputs": {k: str(vals[k]) for k in shown.params},
        "defaulted": [k for k in shown.params if k not in given],
        "repaired": side(rep), "paper": side(pap),
        "dominant_term": {"label": b.term(dom).label, "value": _exact_text(terms[dom])},
    }
    if bb is not None:
        bpoint = {k: vals[k] for k in bb.params}
        bv = oracle.evaluate_point(b.result, bpoint, best=True)
        bterms = oracle.terms(b.result, bpoint, best=True)
        bdom = max(bterms, key=lambda k: bterms[k])
        r = _ratio(bv.length, rep.length)
        doc["best"] = {**side(bv), "over_repaired": None if r is None else str(r),
                       "over_repaired_float": None if r is None else float(r),
                       "dominant_term": {"label": bb.term(bdom).label,
                                         "value": _exact_text(bterms[bdom])}}
    return json.dumps(doc, indent=2) + "\n"


def _wants_best(args: argparse.Namespace, b: LengthBound) -> LengthBound | None:
    """The best bound when ``--best`` is given, or ``--turn`` for Theorem 3 (None otherwise)."""
    turn = getattr(args, "turn", None) is not None and "turn" in BEST[ResultId(b.result)].params
    return best_bound(b.result) if getattr(args, "best", False) or turn else None


def bound_command(args: argparse.Namespace) -> int:
    """``bebcheck bound``: a length at one point, or a CSV grid over ranges."""
    b = bound(args.result)
    bb = _wants_best(args, b)
    shown = bb or b
    vals, ignored = _gather(args, shown)
    given = {k for k in PARAMS if getattr(args, k, None) is not None}
    grid = any(isinstance(vals[k], np.ndarray) for k in shown.params)
    csv_path = getattr(args, "csv", None)
    fmt = getattr(args, "format", "text")
    _grid_size(shown, vals)  # every check before any work or any file
    if fmt == "json" and not grid and csv_path is None:
        require_stdout().write(_single_json(b, vals, given, bb))
        return 0
    if grid or csv_path is not None or fmt == "csv":
        vals = {k: _binary64(k, v) if isinstance(v, Fraction) else v for k, v in vals.items()}
        if not grid:
            vals = {k: np.array([v]) for k, v in vals.items()}
    if csv_path is not None:
        check_output_path(csv_path, "--csv")
    out = require_stdout()
    if not grid and csv_path is None and fmt == "text":
        out.write(_single(b, vals, given, bool(getattr(args, "paper", False)), ignored, bb))
        return 0
    if csv_path is not None:
        with atomic_path(csv_path) as tmp, open(tmp, "w", encoding="utf-8", newline="") as fh:
            n = _grid_csv(b, vals, fh, bb)
        out.write(f"wrote {n} rows to {csv_path}\n")
    elif fmt == "json":
        out.write(_grid_json(b, vals, bb))
    else:
        _grid_csv(b, vals, out, bb)
    return 0


# ---------------------------------------------------------------------------------------------
# bebcheck plot

_GAMMA, _EPS = -0.5, 0.1  # the figures' behaviour level and slack
Save = Callable[[Any, str], None]


def _fig_theorem1(figure: Any, save: Save) -> None:
    """Theorem 1: length vs alpha for several beta."""
    alpha = np.geomspace(1e-12, 0.5, 300)
    fig = figure(figsize=(6.4, 4.4))
    ax = fig.add_subplot()
    for beta in (0.01, 0.1, 1.0, 10.0):
        n = numeric.length(ResultId.THEOREM1, alpha=alpha, beta=beta, gamma=_GAMMA, eps=_EPS)
        ax.plot(alpha, n.astype(float), drawstyle="steps-mid", label=f"β = {beta:g}")
    ax.set(xscale="log", yscale="log", xlabel="α (prior weight of the negative component)",
           ylabel="prompt length n (sentences)",
           title=f"Theorem 1 (repaired): length vs α  (γ = {_GAMMA}, ε = {_EPS})")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend()
    save(fig, "theorem1_length_vs_alpha")


def _fig_paper_vs_repaired(figure: Any, save: Save) -> None:
    """Paper as printed vs repaired, Theorems 1 and 2, against eps."""
    e = np.geomspace(1e-6, 1.45, 300)
    fig = figure(figsize=(10, 4.2))
    for j, (res, extra) in enumerate(((ResultId.THEOREM1, {}),
                                      (ResultId.THEOREM2, {"c": 1.0, "s0": 10}))):
        ax = fig.add_subplot(1, 2, j + 1)
        kw = {"alpha": 0.01, "beta": 0.1, "gamma": _GAMMA, "eps": e, **extra}
        rep = numeric.length(res, **kw).astype(float)
        pap = numeric.length(res, paper=True, **kw).astype(float)
        ax.plot(e, rep, label="repaired: log((1+γ′−ε)/ε)")
        ax.plot(e, pap, "--", label="paper as printed: log(γ′/ε)")
        ax.axvline(1 - _GAMMA, color="gray", lw=0.8, ls=":")
        ax.set(xscale="log", xlabel="ε", ylabel="prompt length n (sentences)",
               title=f"{res}: α = 0.01, β = 0.1, γ = {_GAMMA}"
               + (", c = 1, |s0| = 10" if extra else ""))
        ax.title.set_fontsize(10)
        ax.grid(True, which="both", alpha=0.3)
        ax.legend(fontsize=8)
    save(fig, "paper_vs_repaired")


def _fig_theorem4(figure: Any, save: Save) -> None:
    """Theorem 4: its two terms against beta, and where they cross."""
    beta = np.geomspace(1e-3, 10, 400)
    a4, e4, c4, phi4 = 0.01, 0.1, 0.2, 10
    t = numeric.terms(ResultId.THEOREM4, alpha=a4, beta=beta, gamma=_GAMMA, eps=e4, c=c4,
                      phi=phi4)
    ta, tb = t["eps_prime"], t["personas"]
    log_inv = math.log(1 / float(eps_prime(a4, e4, -_GAMMA)))  # log(1/eps')
    tap = 2 / beta * math.log(1 / float(eps_prime(a4, e4, -_GAMMA, paper=True)))
    cross = 16 * c4**2 * math.log(phi4) / log_inv  # T_a = T_b: beta = 16 c^2 log|Phi|/log(1/eps')
    fig = figure(figsize=(6.4, 4.4))
    ax = fig.add_subplot()
    ax.plot(beta, ta, label="(2/β) log(1/ε′)  [ε′ = αε/(2(1+γ′))]")
    ax.plot(beta, tap, ":", label="(2/β) log(1/ε′)  [paper: ε′ = 2αε/γ′]")
    ax.plot(beta, tb, label="32 (c/β)² log|Φ|")
    ax.plot(beta, np.maximum(ta, tb), "k", lw=2.2, alpha=0.35, label="length threshold (max)")
    y_cross = 2 / cross * log_inv
    ax.axvline(cross, color="gray", ls="--", lw=1)
    ax.plot([cross], [y_cross], "ko", ms=5)
    ax.annotate(f"terms cross at β = {cross:.3g}\n(c/β = {c4 / cross:.3g})",
                xy=(cross, y_cross), xytext=(12, 30), textcoords="offset points", fontsize=8)
    ax.set(xscale="log", yscale="log", xlabel="β", ylabel="threshold (sentences)",
           title=f"Theorem 4: α = {a4}, ε = {e4}, γ = {_GAMMA}, c = {c4:g}, |Φ| = {phi4}")
    ax.title.set_fontsize(10)
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=8)
    save(fig, "theorem4_terms")


FIGURES = ("theorem1_length_vs_alpha", "paper_vs_repaired", "theorem4_terms")
"""The figures' file names (without the format's extension), in the order they are drawn."""


def _figures(out: Path, formats: Sequence[str]) -> list[Path]:
    from bebcheck.checks.sim.plots import import_matplotlib

    import_matplotlib()
    from matplotlib.figure import Figure

    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []

    def save(fig: Any, name: str) -> None:
        fig.tight_layout()
        for fmt in formats:
            p = out / f"{name}.{fmt}"
            with atomic_path(p) as tmp:
                fig.savefig(tmp, format=fmt, dpi=130)
            written.append(p)

    for draw in (_fig_theorem1, _fig_paper_vs_repaired, _fig_theorem4):
        draw(Figure, save)
    return written


def _check_out_dir(out: Path) -> None:
    """``--out`` must be a directory, or one that can be made: its nearest existing ancestor
    a writable directory (InputError before any work)."""
    probe = out
    while True:
        try:
            st = probe.stat()
            break
        except FileNotFoundError:
            probe = probe.parent
        except OSError as e:
            raise InputError(f"--out {out}: {e.strerror}") from None
    if not stat.S_ISDIR(st.st_mode):
        what = "exists and is not a directory" if probe == out else f"{probe} is not a directory"
        raise InputError(f"--out {out}: {what}")
    if probe != out and not os.access(probe, os.W_OK | os.X_OK):
        raise InputError(f"--out {out}: cannot create it in {probe} (not writable)")


def plot_command(args: argparse.Namespace) -> int:
    """``bebcheck plot``: the figures, one file per figure and format, into ``--out``."""
    formats = list(dict.fromkeys(getattr(args, "formats", None) or ["png"]))
    for f in formats:
        if f not in ("png", "svg", "pdf"):
            raise InputError(f"--format must be png, svg or pdf; got {f!r}")
    raw = getattr(args, "out", None)
    if raw == "":
        raise InputError("--out: the directory name is empty")
    out = Path(raw if raw is not None else "figures")
    _check_out_dir(out)
    if out.is_dir():
        for name in FIGURES:
            for f in formats:
                check_output_path(str(out / f"{name}.{f}"), "--out")
    stdout = require_stdout()
    for p in _figures(out, formats):
        stdout.write(f"wrote {p}\n")
    return 0


# ---------------------------------------------------------------------------------------------
# wiring


def _register_bound(subparsers: Any) -> None:
    results = ", ".join(BOUNDS)
    b = subparsers.add_parser(
        "bound", help="prompt length of a result at a point, or a CSV grid over ranges",
        description=f"Prompt length of RESULT ({results}), the dominant term and the "
                    "paper-as-printed length.  A value may be a range LO:HI:Nlog or LO:HI:Nlin "
                    f"(a CSV grid with both lengths, at most {MAX_GRID} rows in all); write a "
                    "negative range as --gamma=-1:-0.1:10lin.  A number X is exact as typed: "
                    "0.1 is 1/10; p/q is allowed.")
    b.add_argument("result", metavar="RESULT", help=results)
    for name, param in {**USER_PARAMS, **BEST_PARAMS}.items():
        b.add_argument(f"--{name}", metavar="X|LO:HI:N(log|lin)", help=_help(param))
    b.add_argument("--best", action="store_true",
                   help="also the best length the repaired proof allows (its free choices "
                        "optimised; proved in the audit's closed_forms chain) and best / "
                        "repaired; --turn implies it for theorem3")
    b.add_argument("--format", choices=("text", "csv", "json"), default="text",
                   help="text (a point; a grid is CSV), csv (a point is one row) or json "
                        "(a point exactly; a grid's rows in binary64); --csv FILE writes CSV")
    b.add_argument("--paper", action="store_true",
                   help="lead with the paper-as-printed length (the CSV always has both)")
    b.add_argument("--csv", metavar="FILE",
                   help="write the CSV here, whole or not at all (default: stdout)")
    b.set_defaults(handler=bound_command)


def _register_plot(subparsers: Any) -> None:
    p = subparsers.add_parser("plot", help="figures of the bounds (matplotlib, Agg)",
                              description="Theorem 1's length vs alpha for several beta, "
                                          "paper as printed vs repaired (Theorems 1, 2), "
                                          "Theorem 4's two terms and where they cross.")
    p.add_argument("--out", metavar="DIR", default="figures",
                   help="directory for the figures, made if missing (default ./figures); each "
                        "file is written whole or not at all")
    p.add_argument("--format", dest="formats", nargs="+", choices=("png", "svg", "pdf"),
                   default=["png"], help="one or more of png, svg, pdf (default png)")
    p.set_defaults(handler=plot_command)


def register(subparsers: Any) -> None:
    """Add ``bound`` and ``plot`` to an argparse subparsers object (``handler`` default set)."""
    _register_bound(subparsers)
    _register_plot(subparsers)
