"""NumPy reference vs sympy.lambdify vs the mpmath/Arb oracle: thresholds, exact lengths, errors."""

from __future__ import annotations

import math
from fractions import Fraction

import mpmath
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from mpmath import mp, mpf

from bebcheck.checks import numeric
from bebcheck.checks.numeric import DOMAINS, oracle
from bebcheck.proofs.beb_v1.bounds import BOUNDS, eps_prime, sentences_per_turn
from bebcheck.proofs.beb_v1.params import USER_PARAMS
from bebcheck.proofs.beb_v1.results import ResultId
from bebcheck.symbolic.errors import InputError

from .strategies import POINT

__all__: list[str] = []

RESULTS = list(BOUNDS)
REL = 1e-12
SETTINGS = settings(max_examples=100, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])




def _arrays(result: str, pts: list[dict[str, float]]) -> dict[str, np.ndarray]:
    return {p: np.array([pt[p] for pt in pts], dtype=np.float64) for p in BOUNDS[result].params}


def _close(t_np: float, o: oracle.OracleValue, rel: float = REL) -> bool:
    """|T - T*| <= rel * max(|T*|, scale): relative to T, or to its parts where they cancel."""
    t = o.threshold
    if mpmath.isinf(t):
        return t_np == float(t)
    if abs(t) > mpf("1.7e308"):
        return bool(np.isinf(t_np)) or abs(mpf(t_np) - t) <= rel * abs(t)
    return abs(mpf(t_np) - t) <= rel * max(abs(t), o.scale)


_SLACK_BOUNDS = frozenset({ResultId.THEOREM1, ResultId.THEOREM2, ResultId.THEOREM3})


def _repaired_domain_fails(result: str, pt: dict[str, float]) -> bool:
    """eps >= 1 + gamma': the repaired Theorems 1-3 need no prompt."""
    return result in _SLACK_BOUNDS and Fraction(pt["eps"]) >= 1 - Fraction(pt["gamma"])


# ---------------------------------------------------------------------------------------------
# NumPy == oracle == sympy at random points


@pytest.mark.parametrize("paper", [False, True], ids=["repaired", "paper"])
@pytest.mark.parametrize("result", RESULTS)
@SETTINGS
@given(pts=st.lists(POINT, min_size=1, max_size=6))
def test_numpy_sympy_and_oracle_agree(result: str, paper: bool, pts: list[dict[str, float]]):
    v = numeric.compute(result, paper=paper, dominance=not paper, **_arrays(result, pts))
    keys = numeric.term_keys(result)
    assert v.terms == BOUNDS[result].terms
    for i, pt in enumerate(pts):
        o = oracle.evaluate_point(result, pt, paper)
        assert _close(float(v.threshold[i]), o), (pt, v.threshold[i], o)
        assert int(v.length[i]) == o.length, (pt, v.length[i], o)
        # the sympy expression itself (lambdify, mpmath), at the oracle's precision
        if not (not paper and _repaired_domain_fails(result, pt)):
            with mp.workdps(20):
                size = 0 if o.threshold == 0 else max(0, int(mpmath.log10(abs(o.threshold))))
            dps = numeric.DPS + size + 340  # 1 + gamma' - eps cancels down to 2**-1074
            ts = oracle.sympy_threshold(result, pt, paper, dps=dps)
            assert abs(ts - o.threshold) <= mpf(10) ** (-40) * max(abs(o.threshold), o.scale)
            if not o.arb_decided:
                assert oracle.sympy_length(result, pt, paper, dps=dps) == o.length
                if not paper:  # the named terms too
                    ot, st_ = oracle.terms(result, pt), oracle.sympy_terms(result, pt, dps=dps)
                    assert list(ot) == list(st_) == list(keys)
                    for key, val in ot.items():
                        assert abs(st_[key] - val) <= mpf(10) ** (-40) * max(1, abs(val)), key
        else:  # eps >= 1 + gamma': no prompt needed
            assert o.length == 0
            assert o.threshold == (mpf("-0.5") if result == "theorem3" else mpf("-inf"))
        if not paper:  # which term dominates
            t = oracle.terms(result, pt)
            top = sorted(t.values(), reverse=True)
            tie = len(top) > 1 and abs(top[0] - top[1]) <= 1e-9 * abs(top[0])
            if not tie:
                assert keys[int(v.dominant[i])] == oracle.dominant_term(result, pt), (pt, t)


# ---------------------------------------------------------------------------------------------
# thresholds within 1e-9 of an integer: Arb decides; NumPy matches it or flags the point


def _near_point(result: str, pt: dict[str, float], k: int, delta: float) -> dict[str, float]:
    """Move ``pt`` so that the bound's floored quantity is about k + delta."""
    pt = dict(pt)
    with mp.workdps(60):
        a, g, e = mpf(pt["alpha"]), mpf(pt["gamma"]), mpf(pt["eps"])
        loga = mpmath.log((1 - a) / a)
        if result in ("theorem1", "theorem2"):
            pt["eps"] = min(pt["eps"], 0.5 * (1 - pt["gamma"]))
            e = mpf(pt["eps"])
            L = loga + mpmath.log((1 - g - e) / e)
            if L <= 0:
                pt["alpha"] = 1e-6
                L = mpmath.log((1 - mpf(1e-6)) / mpf(1e-6)) + mpmath.log((1 - g - e) / e)
            if result == "theorem2":
                pt["s0"] = 0 if pt["s0"] > 10**4 else pt["s0"]
                L += pt["s0"] * mpf(pt["c"])
            pt["beta"] = float(L / (k + delta))
        elif result == "proposition1":
            pt["s0"] = 10**6
            num = pt["beta"] * pt["s0"] + mpmath.log(a / (1 - a)) + mpmath.log(-g / (2 - g))
            if num <= 0:
                pt["beta"] = 1.0
                num = pt["s0"] + mpmath.log(a / (1 - a)) + mpmath.log(-g / (2 - g))
            pt["c"] = float(num / (k + 1 + delta))  # ceil(T) - 1 = k
        elif result == "theorem4":
            pt["phi"] = 1
            La = mpmath.log(2 * (1 - g) / (a * e))
            if La <= 0:
                pt["eps"] = 1e-3
                La = mpmath.log(2 * (1 - g) / (a * mpf(1e-3)))
            pt["beta"] = float(2 * La / (k + delta))
        else:  # theorem3, paper form: turns of (log((1-alpha)/alpha) + log(1/eps))/beta
            L = loga - mpmath.log(e)
            if L <= 0:
                pt["eps"] = 1e-3
                L = loga - mpmath.log(mpf(1e-3))
            if L <= 0:
                pt["alpha"] = 1e-6
                L = mpmath.log((1 - mpf(1e-6)) / mpf(1e-6)) - mpmath.log(mpf(pt["eps"]))
            pt["beta"] = float(L / (k + delta))
    return pt


@pytest.mark.parametrize("result", RESULTS)
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(pt=POINT, k=st.integers(1, 10**6), delta=st.floats(-1e-10, 1e-10))
def test_near_integer_thresholds_are_decided_by_arb(result: str, pt: dict[str, float], k: int,
                                                   delta: float):
    paper = result == "theorem3"
    pt = _near_point(result, pt, k, delta)
    o = oracle.evaluate_point(result, pt, paper)
    fast = numeric.compute(result, paper=paper, resolve=False, **_arrays(result, [pt]))
    exact = numeric.compute(result, paper=paper, **_arrays(result, [pt]))
    assert int(exact.length[0]) == o.length
    assert bool(fast.flagged[0]) or int(fast.length[0]) == o.length
    # an independent check of the decided floor: the sympy expression at 200 digits
    assert oracle.sympy_length(result, pt, paper, dps=200) == o.length
    if result != "theorem3":
        t = oracle.sympy_threshold(result, pt, paper, dps=200)
        with mp.workdps(200):
            if abs(t - mpmath.nint(t)) < 1e-9:
                assert o.arb_decided


def test_exact_integer_thresholds():
    # alpha = 1/4, gamma' = 1, eps = 3/2: (1-alpha)(1+gamma'-eps)/(alpha eps) = 1, T = 0, n = 1
    pt = {"alpha": 0.25, "beta": 0.3, "gamma": -1.0, "eps": 1.5}
    assert oracle.length("theorem1", pt) == 1
    assert oracle.threshold("theorem1", pt) == 0
    v = numeric.compute("theorem1", **pt)
    assert bool(v.flagged)
    assert int(v.length) == 1
    # Proposition 1 as printed: (beta/c)|s0| + log(alpha/(1-alpha)) = 5 exactly: |s1| <= 4
    pt = {"alpha": 0.5, "beta": 1.0, "gamma": -0.5, "c": 1.0, "s0": 5}
    assert oracle.length("proposition1", pt, paper=True) == 4
    assert int(numeric.length("proposition1", paper=True, **pt)) == 4
    # Theorem 4 with one persona: 32 (c/beta)^2 log 1 = 0 exactly
    pt = {"alpha": 0.5, "beta": 1.0, "gamma": -0.5, "eps": 10.0, "c": 1.0, "phi": 1}
    assert oracle.length("theorem4", pt) == 1
    assert int(numeric.length("theorem4", **pt)) == 1
    # Theorem 3 reads the float inputs exactly: c/beta = 1/0.1 is just below 10, so
    # q = 9 + 2 = 11 and each turn gains 11 * 0.1 - 1 (just above 1/10) ...
    pt = {"alpha": 0.01, "beta": 0.1, "gamma": -0.5, "eps": 0.1, "c": 1.0}
    b = Fraction(0.1)
    turns = math.floor((math.log(99) + math.log(1.4 / 0.1)) / float(11 * b - 1)) + 1
    assert int(numeric.length("theorem3", **pt)) == oracle.length("theorem3", pt) == 11 * turns
    # ... while the exact 1/10 gives q = 10 + 2 = 12 and a gain of 1/5 a turn
    exact = {**pt, "beta": Fraction(1, 10)}
    assert oracle.length("theorem3", exact) == 12 * (math.floor(
        (math.log(99) + math.log(1.4 / 0.1)) / 0.2) + 1)


# ---------------------------------------------------------------------------------------------
# extremes: exact integers beyond 2**53


EXTREME = {"alpha": 1e-300, "beta": 1e-12, "gamma": -0.5, "eps": 1e-300, "c": 1.0, "s0": 10**5,
           "phi": 10**12, "reply": 3}


@pytest.mark.parametrize("paper", [False, True], ids=["repaired", "paper"])
@pytest.mark.parametrize(("result", "changes"), [
    ("theorem1", {}), ("theorem1", {"beta": 1e-13}), ("theorem2", {}), ("theorem3", {}),
    ("proposition1", {"alpha": 0.5, "beta": 1.0, "c": 1e-12, "s0": 10**6}), ("theorem4", {}),
])
def test_extremes_give_exact_integers(result: str, changes: dict[str, float], paper: bool):
    pt = {**EXTREME, **changes}
    kw = {p: pt[p] for p in BOUNDS[result].params}
    v = numeric.compute(result, paper=paper, **kw)
    n = v.length.item() if v.length.dtype != object else v.length.reshape(-1)[0]
    o = oracle.evaluate_point(result, pt, paper)
    assert isinstance(n, int)
    assert n == o.length
    if changes != {} or result != "theorem1":
        assert n > 2**53
    else:
        assert n > 10**15
    assert _close(float(v.threshold), o)
    # the same point inside a broadcast array keeps its exact value
    arr = numeric.compute(result, paper=paper, **{**kw, "beta": np.array([kw["beta"], 1.0])})
    assert int(arr.length[0]) == o.length


def test_object_dtype_only_beyond_int64():
    small = numeric.compute("theorem1", alpha=1e-300, beta=1e-13, gamma=-0.5, eps=1e-300)
    assert small.length.dtype == np.int64
    assert int(small.length) > 2**53
    big = numeric.compute("theorem4", alpha=0.5, beta=1e-12, gamma=-0.5, eps=0.1, c=1.0,
                          phi=np.array([2, 10**12]))
    assert big.length.dtype == object
    assert all(isinstance(x, int) for x in big.length)
    assert big.length[1] == oracle.length("theorem4", {"alpha": 0.5, "beta": 1e-12,
                                                       "gamma": -0.5, "eps": 0.1, "c": 1.0,
                                                       "phi": 10**12})


# ---------------------------------------------------------------------------------------------
# broadcasting, streaming


def test_broadcasting_matches_pointwise():
    alpha = np.array([[1e-9], [0.01], [0.3]])
    beta = np.array([0.01, 0.1, 1.0, 10.0])
    v = numeric.compute("theorem2", alpha=alpha, beta=beta, gamma=-0.5, eps=0.05, c=2.0, s0=3)
    assert v.threshold.shape == v.length.shape == (3, 4)
    for i in range(3):
        for j in range(4):
            pt = {"alpha": float(alpha[i, 0]), "beta": float(beta[j]), "gamma": -0.5,
                  "eps": 0.05, "c": 2.0, "s0": 3}
            assert int(v.length[i, j]) == oracle.length("theorem2", pt)
    assert numeric.terms("theorem2", alpha=alpha, beta=beta, gamma=-0.5,
                         eps=0.05)["prompt"].shape == (3, 4)


def test_large_arrays_cross_blocks():
    rng = np.random.default_rng(7)
    n = numeric.BLOCK * 2 + 17
    a = 10 ** rng.uniform(-300, -0.5, n)
    b = 10 ** rng.uniform(-6, 2, n)
    v = numeric.compute("theorem1", alpha=a, beta=b, gamma=-0.25, eps=1e-3)
    for i in rng.integers(0, n, 40).tolist():
        pt = {"alpha": float(a[i]), "beta": float(b[i]), "gamma": -0.25, "eps": 1e-3}
        assert int(v.length[i]) == oracle.length("theorem1", pt)


def test_stream_random_and_grid():
    s = numeric.stream("theorem1", 200_000, chunk=50_000, seed=3, dominance=True,
                       compare_paper=True)
    assert s.n == 200_000
    assert s.chunks == 4
    assert sum(s.dominant.values()) == s.n
    assert s.length_min is not None
    assert s.length_max is not None
    assert s.length_min <= s.length_mean <= s.length_max
    assert s.length_max == oracle.length("theorem1", s.argmax)
    assert s.paper_shorter is not None
    assert 0 < s.paper_shorter <= s.n
    grid = {"alpha": np.geomspace(1e-12, 0.4, 30), "beta": np.geomspace(1e-3, 1, 20),
            "eps": np.array([1e-3, 0.1])}
    g = numeric.stream("theorem1", grid=grid, fixed={"gamma": -0.5}, chunk=64)
    A, B, E = np.meshgrid(grid["alpha"], grid["beta"], grid["eps"], indexing="ij")
    v = numeric.compute("theorem1", alpha=A, beta=B, gamma=-0.5, eps=E)
    assert g.n == v.length.size == 1200
    assert g.length_max == int(v.length.max())
    assert g.length_min == int(v.length.min())
    assert math.isclose(g.threshold_mean, float(v.threshold.mean()), rel_tol=1e-12)


# ---------------------------------------------------------------------------------------------
# bad input


GOOD = {"alpha": 0.1, "beta": 0.5, "gamma": -0.5, "eps": 0.1, "c": 1.0, "s0": 2, "phi": 3}
BAD = [
    ("alpha", 0.0), ("alpha", 1.0), ("alpha", -0.1), ("alpha", math.nan), ("alpha", math.inf),
    ("beta", 0.0), ("beta", -1.0), ("beta", math.inf), ("beta", math.nan),
    ("gamma", 0.0), ("gamma", -1.5), ("gamma", 0.3), ("gamma", math.nan),
    ("eps", 0.0), ("eps", -1e-9), ("eps", math.inf),
    ("c", 0.0), ("c", -2.0), ("c", math.nan),
    ("s0", -1), ("s0", 2.5), ("s0", math.inf),
    ("phi", 0), ("phi", 0.5), ("phi", 2.5), ("phi", -math.inf),
]


@pytest.mark.parametrize(("name", "value"), BAD)
def test_bad_input_raises_input_error_naming_the_parameter(name: str, value: float):
    result = next(r for r in RESULTS if name in BOUNDS[r].params)
    kw = {p: GOOD[p] for p in BOUNDS[result].params}
    for bad in (value, np.array([GOOD[name], value, GOOD[name]])):
        with pytest.raises(InputError, match=name):
            numeric.compute(result, **{**kw, name: bad})
    with pytest.raises(InputError, match=name):
        oracle.evaluate_point(result, {**kw, name: value})
    assert issubclass(InputError, ValueError)


def test_bad_input_in_a_late_block_and_other_errors():
    a = np.full(numeric.BLOCK * 2 + 5, 0.1)
    a[-1] = math.nan
    with pytest.raises(InputError, match="alpha must be a finite number"):
        numeric.compute("theorem1", alpha=a, beta=1.0, gamma=-0.5, eps=0.1)
    with pytest.raises(InputError, match="needs alpha"):
        numeric.compute("theorem1", beta=1.0, gamma=-0.5, eps=0.1)
    with pytest.raises(InputError, match="alpha"):
        numeric.compute("theorem1", alpha="x", beta=1.0, gamma=-0.5, eps=0.1)
    with pytest.raises(InputError, match="theorem9"):
        numeric.compute("theorem9", alpha=0.1)
    with pytest.raises(InputError, match="broadcast"):
        numeric.compute("theorem1", alpha=[0.1, 0.2], beta=[1.0, 2.0, 3.0], gamma=-0.5, eps=0.1)
    with pytest.raises(InputError, match="phi"):  # validated even where unused
        numeric.compute("theorem1", alpha=0.1, beta=1.0, gamma=-0.5, eps=0.1, phi=0)
    with pytest.raises(InputError, match="alpha"):
        numeric.stream("theorem1", 10, ranges={"alpha": (0.0, 0.5, "log")})


@pytest.mark.parametrize("c", [0.999, 1 - 1e-9])
def test_theorem3_length_stays_bounded_as_c_over_beta_nears_an_integer(c):
    # with q = floor(c/beta) + 1 a turn would gain only beta (1 - frac(c/beta)); the paper's
    # q = floor(c/beta) + 2 gains more than beta, so at most floor(L/beta) + 1 turns of q = 2
    pt = {"alpha": 0.01, "beta": 1.0, "gamma": -0.5, "eps": 0.1, "c": c}
    L = math.log(99) + math.log(1.4 / 0.1)
    n = int(numeric.length("theorem3", **pt))
    assert n == oracle.length("theorem3", pt) <= 2 * (math.floor(L) + 1)


def test_theorem3_reply_sentences_raise_the_per_turn_cost():
    # replies of up to A sentences cost A c a turn (D.1ar): q = floor(A c/beta) + 2
    base = {"alpha": 0.01, "beta": 0.3, "gamma": -0.4, "eps": 0.1}
    for c in (2.0, 0.1):  # 0.1 * 3 is not exact in binary64: the exact path decides it
        lengths = []
        for A in (1, 2, 3):
            pt = {**base, "c": c, "reply": A}
            n = int(numeric.length("theorem3", **pt))
            assert n == oracle.length("theorem3", pt)
            q = math.floor(Fraction(c) * A / Fraction(0.3)) + 2
            assert n % q == 0
            lengths.append(n)
        assert lengths[0] == int(numeric.length("theorem3", **base, c=c))  # A = 1 by default
        assert lengths == sorted(lengths)
        # the printed length ignores the replies' length
        assert len({int(numeric.length("theorem3", paper=True, **base, c=c, reply=A))
                    for A in (1, 2, 3)}) == 1


def test_reply_must_be_a_positive_integer():
    with pytest.raises(InputError, match="reply must be an integer >= 1"):
        numeric.compute("theorem3", alpha=0.1, beta=1.0, gamma=-0.5, eps=0.1, reply=1.5)
    with pytest.raises(InputError, match="reply must be an integer >= 1"):
        oracle.length("theorem3", {"alpha": 0.1, "beta": 1.0, "gamma": -0.5, "eps": 0.1,
                                   "reply": 0})


# ---------------------------------------------------------------------------------------------
# the float kernels against the single declarations (q, eps', terms, domains)


@SETTINGS
@given(pts=st.lists(POINT, min_size=1, max_size=8),
       near=st.lists(st.tuples(st.integers(1, 10**6), st.integers(-2, 2)), max_size=4))
def test_kernel_q_is_the_declared_sentences_per_turn(pts: list[dict[str, float]],
                                                     near: list[tuple[int, int]]):
    # c/beta near integers k too (beta = c/k, and moved by one ulp either way)
    pts = pts + [{**pts[0], "beta": float(np.nextafter(pts[0]["c"] / k, np.inf * d) if d
                                          else pts[0]["c"] / k)}
                 for k, d in near if pts[0]["c"] / k > 0]
    arrays = _arrays("theorem3", pts)
    q = numeric.terms("theorem3", **arrays)["q"]
    paper = numeric.length("theorem3", paper=True, **arrays)
    for i, pt in enumerate(pts):
        c, beta = Fraction(pt["c"]), Fraction(pt["beta"])
        assert int(q[i]) == int(sentences_per_turn(c, beta, pt["reply"])), pt
        assert int(paper[i]) % int(sentences_per_turn(c, beta, 1)) == 0, pt


def _mp(x: Fraction) -> mpf:
    return mpf(x.numerator) / x.denominator


@SETTINGS
@given(pts=st.lists(POINT, min_size=1, max_size=8))
def test_kernel_eps_prime_is_the_declared_one(pts: list[dict[str, float]]):
    # the repaired term (2/beta) log(1/eps'); with |Phi| = 1 the paper's threshold is
    # max((2/beta) log(1/eps'), 0), its eps' the paper's
    arrays = {**_arrays("theorem4", pts), "phi": 1.0}
    repaired = numeric.terms("theorem4", **arrays)["eps_prime"]
    paper = numeric.threshold("theorem4", paper=True, **arrays)
    for i, pt in enumerate(pts):
        a, e, g, b = (Fraction(pt[k]) for k in ("alpha", "eps", "gamma", "beta"))
        gp = -g
        for got, eps1, floor in ((repaired[i], eps_prime(a, e, gp), None),
                                 (paper[i], eps_prime(a, e, gp, paper=True), 0)):
            with mp.workdps(60):
                want = -2 / _mp(b) * mpmath.log(_mp(eps1))
                want = want if floor is None else max(want, mpf(floor))
                scale = 2 / _mp(b) * sum(abs(mpmath.log(_mp(x))) for x in (a, e, gp, 1 + gp, 2))
                assert abs(mpf(float(got)) - want) <= REL * max(abs(want), scale), (pt, got, want)


@pytest.mark.parametrize("result", RESULTS)
def test_terms_are_keyed_as_declared(result: str):
    pt = {k: GOOD[k] for k in BOUNDS[result].params if k in GOOD}
    keys = [t.key for t in BOUNDS[result].terms]
    assert list(numeric.terms(result, **pt)) == keys == list(numeric.term_keys(result))
    assert list(oracle.terms(result, pt)) == keys == list(oracle.sympy_terms(result, pt))
    assert oracle.dominant_term(result, pt) in keys


@pytest.mark.parametrize("name", list(USER_PARAMS))
def test_domains_are_the_declared_params(name: str):
    p, dom = USER_PARAMS[name], DOMAINS[name]
    ends = [float(x) for x in (p.lower, p.upper) if x is not None]
    probes = sorted({v for x in [*ends, 0.0, 2.0, 1e300, -1e300] for v in
                     (x, np.nextafter(x, -np.inf), np.nextafter(x, np.inf), x + 0.5)})
    good = float(GOOD.get(name, p.default))
    assert dom.contains(good)
    for v in probes:
        assert dom.contains(float(v)) == p.contains(Fraction(float(v))), (name, v)
        arr = np.array([good, v])
        if p.contains(Fraction(float(v))):
            dom.check(arr)
        else:
            with pytest.raises(InputError) as err:
                dom.check(arr)
            assert str(err.value) == f"{name} {p.requirement()}; got {float(v)!r}"
    assert not dom.contains(math.nan)
    assert not dom.contains(math.inf)
    assert numeric.DEFAULTS.get(name) == p.default


def test_oracle_terms_beyond_python_int_string_limit_are_evaluated():
    """Values of 10,000 digits (past Python's 4,300-digit int-to-str limit) still evaluate."""
    import mpmath

    from bebcheck.checks.numeric import oracle

    big = Fraction(10**10000)
    t = oracle.terms("theorem3", {"alpha": Fraction(1, 2), "beta": 1 / big,
                                  "gamma": Fraction(-1, 2), "eps": Fraction(1, 10), "c": big,
                                  "reply": Fraction(1), "s0": Fraction(0), "phi": Fraction(1)})
    assert float(mpmath.log10(t["q"])) == pytest.approx(20000)
