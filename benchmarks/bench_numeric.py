"""Benchmarks of the NumPy reference (run by hand): points/s vs mpmath and lambdify, a 1e9 stream.

    python benchmarks/bench_numeric.py [--n 4194304] [--mp-points 2000] [--stream 1000000000]

1. ``numeric.compute(...).length`` for Theorems 1 and 2 (repaired and as printed) on ``--n``
   random points, one core, best of 5: points per second.  Typical ranges
   (:data:`numeric.DEFAULT_RANGES`) and, separately, extreme ones (alpha, eps down to 1e-300,
   beta down to 1e-12) with the flagged points left to the exact path (counted, timed apart).
2. On the same points in the same run: a per-point mpmath loop (the sympy length expression
   through ``lambdify(modules="mpmath")`` at 50 digits, and the full oracle) and
   ``sympy.lambdify(modules="numpy")`` on the whole arrays and in the same blocks.
3. How fast any kernel could be: the threshold alone (no error bound, no exact length) in
   NumPy blocks, numexpr and numba (when installed), against lambdify on whole arrays.
4. ``numeric.stream`` over ``--stream`` random points in chunks, in a fresh process: time and
   peak resident memory (VmHWM, else ``ru_maxrss``).
5. The best lengths (``compute(..., best=True)``, every result, typical ranges): points/s
   against the repaired kernels, the share of points the float path flags, and best /
   repaired (quartiles over the decided points).  ``--only-best`` runs this part alone.

OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE are removed from the environment for the measurement
(the script re-executes itself without them); the process is pinned to one CPU.
"""

from __future__ import annotations

import os
import sys

_DROP = ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")
if any(k in os.environ for k in _DROP):  # before numpy is imported
    env = {k: v for k, v in os.environ.items() if k not in _DROP}
    os.execve(sys.executable, [sys.executable, *sys.argv], env)
if hasattr(os, "sched_setaffinity"):
    os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})

import argparse  # noqa: E402
import json  # noqa: E402
import resource  # noqa: E402
import subprocess  # noqa: E402
import time  # noqa: E402

import mpmath  # noqa: E402
import numpy as np  # noqa: E402
import sympy as sp  # noqa: E402

from bebcheck.checks import numeric  # noqa: E402
from bebcheck.checks.numeric import DOMAINS, oracle  # noqa: E402
from bebcheck.proofs.beb_v1.bounds import BOUNDS, symbols  # noqa: E402
from bebcheck.proofs.beb_v1.results import ResultId  # noqa: E402

__all__: list[str] = []

RESULTS = (ResultId.THEOREM1, ResultId.THEOREM2)


def points(n: int, seed: int, extreme: bool = False) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(seed)
    r = dict(numeric.DEFAULT_RANGES)
    if extreme:
        r.update(alpha=(1e-300, 0.5, "log"), eps=(1e-300, 0.9, "log"), beta=(1e-12, 10.0, "log"))
    out = {}
    for k, (lo, hi, spacing) in r.items():
        u = rng.random(n)
        if spacing == "log":
            x = np.exp(np.log(abs(lo)) + (np.log(abs(hi)) - np.log(abs(lo))) * u)
            x = -x if lo < 0 else x
        else:
            x = lo + (hi - lo) * u
        x = np.clip(x, min(lo, hi), max(lo, hi))
        out[k] = np.rint(x) if DOMAINS[k].integer else x
    return out


def best_of(fn, reps: int) -> float:
    best = float("inf")
    for _ in range(reps):
        t = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t)
    return best


def bench_numpy(n: int, mp_points: int) -> list[dict[str, object]]:
    P = points(n, 1)
    S = symbols()
    rows = []
    for res in RESULTS:
        b = BOUNDS[res]
        kw = {k: P[k] for k in b.params}
        for paper in (False, True):
            t_np = best_of(lambda kw=kw, paper=paper, res=res: numeric.compute(res, paper=paper, **kw),
                           5)
            v = numeric.compute(res, paper=paper, **kw)
            args = [S[p] for p in b.params]
            f_np = sp.lambdify(args, b.length_expr(paper), modules="numpy")
            cols = [P[p] for p in b.params]
            t_lam = best_of(lambda f=f_np, cols=cols: f(*cols), 3)

            def lam_blocks(f=f_np, cols=cols):
                for s in range(0, n, numeric.BLOCK):
                    f(*(c[s:s + numeric.BLOCK] for c in cols))

            t_lam_b = best_of(lam_blocks, 3)
            lam_len = f_np(*cols)
            mismatch = int(np.count_nonzero(lam_len != v.length))
            f_mp = sp.lambdify(args, b.length_expr(paper), modules="mpmath")
            m = min(mp_points, n)

            def mp_loop(f=f_mp, m=m, cols=cols):
                with mpmath.workdps(50):
                    for i in range(m):
                        int(f(*(mpmath.mpf(float(c[i])) for c in cols)))

            t_mp = best_of(mp_loop, 1) / m
            mo = min(m, 500)

            def oracle_loop(mo=mo, paper=paper, res=res, b=b):
                for i in range(mo):
                    oracle.length(res, {k: float(P[k][i]) for k in b.params}, paper=paper)

            t_or = best_of(oracle_loop, 1) / mo
            rows.append({
                "result": res, "paper": paper, "n": n,
                "numpy_Mpts_s": n / t_np / 1e6,
                "lambdify_numpy_Mpts_s": n / t_lam / 1e6,
                "lambdify_numpy_blocked_Mpts_s": n / t_lam_b / 1e6,
                "mpmath_loop_pts_s": 1 / t_mp, "oracle_pts_s": 1 / t_or,
                "x_vs_mpmath": t_mp * n / t_np, "x_vs_oracle": t_or * n / t_np,
                "x_vs_lambdify": t_lam / t_np, "x_vs_lambdify_blocked": t_lam_b / t_np,
                "flagged": int(v.flagged.sum()), "lambdify_length_mismatches": mismatch,
            })
    return rows


def bench_extreme(n: int) -> list[dict[str, object]]:
    P = points(n, 2, extreme=True)
    S = symbols()
    rows = []
    for res in RESULTS:
        b = BOUNDS[res]
        kw = {k: P[k] for k in b.params}
        t = best_of(lambda kw=kw, res=res: numeric.compute(res, resolve=False, **kw), 3)
        v = numeric.compute(res, resolve=False, **kw)
        f_np = sp.lambdify([S[p] for p in b.params], b.length_expr(), modules="numpy")
        with np.errstate(all="ignore"):
            lam = f_np(*(kw[p] for p in b.params))
        ok = ~v.flagged
        lam_wrong = int(np.count_nonzero(lam[ok] != v.length[ok]))
        idx = np.flatnonzero(v.flagged)[:200]
        t0 = time.perf_counter()
        exact = [oracle.length(res, {k: float(kw[k][i]) for k in kw}) for i in idx.tolist()]
        t_exact = (time.perf_counter() - t0) / max(1, len(idx))
        lam_wrong_flagged = sum(int(lam[i]) != e for i, e in zip(idx.tolist(), exact, strict=True))
        m = min(n, 1 << 18)  # everything decided, exact path included
        sub = {k: x[:m] for k, x in kw.items()}
        t_res = best_of(lambda sub=sub, res=res: numeric.compute(res, **sub), 1)
        left = numeric.compute(res, **sub)
        rows.append({"result": res, "n": n, "float_path_Mpts_s": n / t / 1e6,
                     "flagged_fraction": float(v.flagged.mean()),
                     "exact_path_ms_per_flagged_point": t_exact * 1e3,
                     "lambdify_wrong_unflagged": lam_wrong, "unflagged": int(ok.sum()),
                     "lambdify_wrong_flagged_sample": lam_wrong_flagged,
                     "flagged_sample": len(idx), "resolved_Mpts_s": m / t_res / 1e6,
                     "resolved_n": m, "resolved_dtype": str(left.length.dtype)})
    return rows


def bench_floor(n: int) -> list[dict[str, object]]:
    """How fast could any kernel be?  Theorem 1 (repaired) on the same points: lambdify on
    whole arrays (the 5x target's baseline) against kernels that only compute the threshold
    T (no error bound, no exact length): NumPy with ``out=`` buffers in cache-sized blocks,
    numexpr (one thread) and numba (fused loop), the last two when installed.  Each row's
    ``x_vs_lambdify`` is the most any kernel of that kind could gain over lambdify."""
    P = points(n, 1)
    a, g, e, beta = (P[k] for k in ("alpha", "gamma", "eps", "beta"))
    S = symbols()
    b = BOUNDS[ResultId.THEOREM1]
    f_np = sp.lambdify([S[p] for p in b.params], b.length_expr(), modules="numpy")
    t_lam = best_of(lambda: f_np(*(P[p] for p in b.params)), 3)
    rows: list[dict[str, object]] = [{"kernel": "lambdify(numpy), whole arrays (baseline)",
                                      "ns_per_point": t_lam / n * 1e9, "x_vs_lambdify": 1.0}]
    T = np.empty(n)
    B = numeric.BLOCK
    w = [np.empty(B) for _ in range(3)]

    def numpy_T() -> None:
        for s in range(0, n, B):
            sl = slice(s, s + B)
            m = min(B, n - s)
            w0, w1, w2 = (x[:m] for x in w)
            np.subtract(1.0, g[sl], out=w0)
            w0 -= e[sl]
            np.subtract(1.0, a[sl], out=w1)
            w1 *= w0
            np.multiply(a[sl], e[sl], out=w2)
            w1 /= w2
            np.log(w1, out=w1)
            np.divide(w1, beta[sl], out=T[sl])

    rows.append({"kernel": "NumPy, T only, out= buffers in blocks",
                 "ns_per_point": best_of(numpy_T, 5) / n * 1e9})
    try:
        import numexpr as ne
    except ImportError:
        rows.append({"kernel": "numexpr", "skipped": "not installed"})
    else:
        ne.set_num_threads(1)
        expr = "log((1 - a) * ((1 - g) - e) / (a * e)) / beta"
        env = {"a": a, "g": g, "e": e, "beta": beta}
        ne.evaluate(expr, local_dict=env)
        rows.append({"kernel": f"numexpr {ne.__version__} (VML: {ne.use_vml}), T only, 1 thread",
                     "ns_per_point": best_of(lambda: ne.evaluate(expr, local_dict=env), 5)
                     / n * 1e9})
    try:
        import math

        import numba
    except ImportError:
        rows.append({"kernel": "numba", "skipped": "not installed"})
    else:
        @numba.njit(cache=False)
        def fused(a, g, e, beta, out):  # pragma: no cover - compiled
            for i in range(a.shape[0]):
                out[i] = math.log((1.0 - a[i]) * ((1.0 - g[i]) - e[i]) / (a[i] * e[i])) / beta[i]

        fused(a[:8], g[:8], e[:8], beta[:8], T[:8])
        svml = bool(getattr(numba.config, "USING_SVML", False))
        rows.append({"kernel": f"numba {numba.__version__} (SVML: {svml}), fused loop, T only",
                     "ns_per_point": best_of(lambda: fused(a, g, e, beta, T), 5) / n * 1e9})
    for r in rows:
        if "ns_per_point" in r:
            r["x_vs_lambdify"] = t_lam / n * 1e9 / float(r["ns_per_point"])  # type: ignore[arg-type]
    return rows


def peak_rss_kib() -> int:
    """Peak resident memory of this process since its exec: VmHWM (ru_maxrss keeps the
    high-water mark of the forked parent across exec on Linux)."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux


def stream_child(n: int, chunk: int) -> None:
    base = peak_rss_kib()
    t = time.perf_counter()
    s = numeric.stream(ResultId.THEOREM1, n, chunk=chunk, seed=5)
    secs = time.perf_counter() - t
    rss = peak_rss_kib()
    print(json.dumps({"n": s.n, "chunks": s.chunks, "seconds": secs, "Mpts_s": s.n / secs / 1e6,
                      "peak_rss_MiB": rss / 1024, "rss_after_imports_MiB": base / 1024,
                      "flagged": s.flagged,
                      "threshold_min": s.threshold_min, "threshold_max": s.threshold_max,
                      "threshold_mean": s.threshold_mean, "length_min": s.length_min,
                      "length_max": s.length_max, "length_mean": s.length_mean}))


def bench_best(n: int) -> list[dict[str, object]]:
    """Points/s of the best lengths against the repaired ones, and their ratio."""
    P = points(n, 3)
    rows = []
    for res in BOUNDS:
        kw = {k: P[k] for k in BOUNDS[res].params}
        t_rep = best_of(lambda kw=kw, res=res: numeric.compute(res, resolve=False, **kw), 3)
        t_best = best_of(lambda kw=kw, res=res: numeric.compute(res, best=True, resolve=False,
                                                                 **kw), 3)
        rep = numeric.compute(res, resolve=False, **kw)
        best = numeric.compute(res, best=True, resolve=False, **kw)
        ok = ~rep.flagged & ~best.flagged & (np.asarray(rep.length, dtype=float) > 0)
        ratio = np.asarray(best.length, dtype=float)[ok] / np.asarray(rep.length, dtype=float)[ok]
        q = np.quantile(ratio, [0.0, 0.25, 0.5, 0.75, 1.0]) if ratio.size else [np.nan] * 5
        rows.append({"result": str(res), "n": n, "repaired_Mpts_s": n / t_rep / 1e6,
                     "best_Mpts_s": n / t_best / 1e6,
                     "best_flagged_fraction": float(best.flagged.mean()),
                     "ratio_quartiles": [float(x) for x in q], "ratio_n": int(ratio.size)})
    return rows


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=1 << 22, help="points for the throughput runs")
    ap.add_argument("--mp-points", type=int, default=2000, help="points for the mpmath loop")
    ap.add_argument("--stream", type=int, default=10**9, help="points streamed (0: skip)")
    ap.add_argument("--chunk", type=int, default=1 << 18, help="chunk size of the stream")
    ap.add_argument("--stream-child", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--only-best", action="store_true", help="only part 5, the best lengths")
    a = ap.parse_args()
    if a.stream_child:
        stream_child(a.stream, a.chunk)
        return 0
    if a.only_best:
        print_best(a.n)
        return 0
    print(f"numpy {np.__version__}, one CPU: {sorted(os.sched_getaffinity(0))}, "
          f"OPENBLAS_CORETYPE/L2_SIZE unset: {not any(k in os.environ for k in _DROP)}")
    print("\n== throughput, typical ranges ==")
    for r in bench_numpy(a.n, a.mp_points):
        print(f"{r['result']} {'paper' if r['paper'] else 'repaired'}: "
              f"numpy {r['numpy_Mpts_s']:.1f} M pts/s; "
              f"lambdify(numpy) {r['lambdify_numpy_Mpts_s']:.1f} M/s whole arrays "
              f"(x{r['x_vs_lambdify']:.1f}), {r['lambdify_numpy_blocked_Mpts_s']:.1f} M/s in "
              f"blocks (x{r['x_vs_lambdify_blocked']:.1f}); mpmath loop "
              f"{r['mpmath_loop_pts_s']:.0f} pts/s (x{r['x_vs_mpmath']:.0f}); oracle "
              f"{r['oracle_pts_s']:.0f} pts/s (x{r['x_vs_oracle']:.0f}); flagged "
              f"{r['flagged']}; lambdify lengths differing: {r['lambdify_length_mismatches']}")
    print("\n== extreme ranges (alpha, eps >= 1e-300, beta >= 1e-12) ==")
    for r in bench_extreme(a.n):
        print(f"{r['result']}: float path {r['float_path_Mpts_s']:.1f} M pts/s, flagged "
              f"{100 * r['flagged_fraction']:.2f}%, exact path "
              f"{r['exact_path_ms_per_flagged_point']:.2f} ms per flagged point; lambdify(numpy) "
              f"lengths wrong: {r['lambdify_wrong_unflagged']} of {r['unflagged']} unflagged, "
              f"{r['lambdify_wrong_flagged_sample']} of {r['flagged_sample']} flagged (sample); "
              f"all decided (long double tier, then oracle): {r['resolved_Mpts_s']:.2f} M pts/s "
              f"on {r['resolved_n']} points")
    print("\n== how fast could any kernel be? (theorem1 repaired, T only) ==")
    for r in bench_floor(a.n):
        if "skipped" in r:
            print(f"{r['kernel']}: skipped ({r['skipped']})")
        else:
            print(f"{r['kernel']}: {r['ns_per_point']:.2f} ns/point "
                  f"(x{r['x_vs_lambdify']:.1f} vs lambdify on whole arrays)")
    print_best(a.n)
    if a.stream:
        print(f"\n== stream of {a.stream:.3g} random points (theorem1), fresh process ==")
        p = subprocess.run([sys.executable, __file__, "--stream-child", "--stream",
                            str(a.stream), "--chunk", str(a.chunk)],
                           capture_output=True, text=True, check=True)
        s = json.loads(p.stdout)
        print(f"{s['n']} points in {s['chunks']} chunks: {s['seconds']:.1f} s "
              f"({s['Mpts_s']:.1f} M pts/s incl. sampling), peak RSS {s['peak_rss_MiB']:.0f} MiB "
              f"({s['rss_after_imports_MiB']:.0f} MiB after imports)")
        print(f"threshold min/mean/max {s['threshold_min']:.4g} / {s['threshold_mean']:.4g} / "
              f"{s['threshold_max']:.4g}; length min/max {s['length_min']} / {s['length_max']}; "
              f"flagged {s['flagged']}")
    return 0


def print_best(n: int) -> None:
    print("\n== best lengths (typical ranges; ratio over points both paths decide) ==")
    for r in bench_best(n):
        q = " / ".join(f"{x:.3g}" for x in r["ratio_quartiles"])
        print(f"{r['result']}: repaired {r['repaired_Mpts_s']:.1f} M pts/s, best "
              f"{r['best_Mpts_s']:.1f} M pts/s (flagged {100 * r['best_flagged_fraction']:.2f}%); "
              f"best / repaired min / q1 / median / q3 / max {q} over {r['ratio_n']} points")


if __name__ == "__main__":
    raise SystemExit(main())
