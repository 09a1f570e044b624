"""The counterexample search and the certified evaluator it hands candidates to."""

from __future__ import annotations

import subprocess
import sys
from fractions import Fraction

import flint
import pytest
import sympy as sp

from bebcheck.checks.engines import _certified
from bebcheck.checks.engines import search as search_module
from bebcheck.checks.engines._certified import evaluate, holds
from bebcheck.checks.engines.search import CounterexampleSearch, SearchBudget, edge_values
from bebcheck.proofs import DEFAULT
from bebcheck.symbolic.obligation import Obligation
from bebcheck.symbolic.params import closed, nonneg_int, positive, real, unit_open

R = sp.Rational


def _search(ob: Obligation, seeds: list[dict[str, Fraction]] | None = None):
    w, _ = CounterexampleSearch(samples=400).find_witness(ob, seeds)
    return w


# -- where counterexamples hide ------------------------------------------------------------
def test_a_counterexample_only_at_a_vertex_of_the_domain_is_refuted():
    ps = [closed(f"x{k}", R(1, 7), R(2, 7)) for k in range(4)]
    ob = Obligation("vertex", sp.Add(*(p.symbol for p in ps)) < R(8, 7), tuple(ps))
    w = _search(ob)
    assert w is not None and w.values == {p.name: Fraction(2, 7) for p in ps}
    assert w.source.startswith("domain end point")


def test_a_counterexample_just_inside_two_open_ends_at_once_is_refuted():
    X, Y = unit_open("x"), unit_open("y")
    x, y = X.symbol, Y.symbol
    ob = Obligation("corner", sp.Or(x > R(1, 10**10), y < 1 - R(1, 10**10)), (X, Y))
    w = _search(ob)
    assert w is not None
    assert w.values["x"] <= Fraction(1, 10**10) and w.values["y"] >= 1 - Fraction(1, 10**10)


def test_a_counterexample_in_a_narrow_region_is_found_by_local_search():
    X, Y = unit_open("x"), unit_open("y")
    x, y = X.symbol, Y.symbol
    ob = Obligation("needle", (x - R(3, 10))**2 + (y - R(7, 10))**2 > R(1, 10**10), (X, Y))
    w = _search(ob)
    assert w is not None and w.source.startswith("local search")
    assert (w.values["x"] - Fraction(3, 10))**2 + (w.values["y"] - Fraction(7, 10))**2 <= \
        Fraction(1, 10**10)


def test_local_search_reaches_far_out_on_an_unbounded_side():
    P = positive("p")
    p = P.symbol
    ob = Obligation("far", (sp.log(p) - 20)**2 > R(1, 10**6), (P,))  # fails near p = e^20
    w = _search(ob)
    assert w is not None and w.source.startswith("local search")
    assert 4 * 10**8 < w.values["p"] < 6 * 10**8


def test_local_search_aims_at_each_conjunct_of_the_claim():
    # eps > 0 cannot fail (a hypothesis), yet tiny eps brings it closest to failing: aiming at
    # the claim as a whole stalls there; only the second conjunct fails, in a band of 10^-9
    E, G = positive("eps"), closed("gp", R(1, 3), 1)
    eps, gp = E.symbol, G.symbol
    ob = Obligation("conjunct", sp.And(eps > 0, eps < gp + 1 - R(1, 10**9)), (E, G),
                    hypotheses=(eps < gp + 1,))
    w = _search(ob)
    assert w is not None and w.source.startswith("local search")
    assert w.values["gp"] + 1 - Fraction(1, 10**9) <= w.values["eps"] < w.values["gp"] + 1


def test_a_solver_model_next_to_the_counterexamples_is_searched_around():
    X = unit_open("x")
    x = X.symbol
    centre = R(1, 2) + R(1, 2) / 10**6  # one relative step of 10^-6 away from the model 1/2
    ob = Obligation("near", (x - centre)**2 > R(1, 10**18), (X,))
    w = _search(ob, [{"x": Fraction(1, 2)}])
    assert w is not None and w.source.startswith("solver model neighbourhood")
    assert w.values == {"x": Fraction(1, 2) + Fraction(1, 2 * 10**6)}


def test_a_hypothesis_point_near_an_open_end_is_found():
    X = unit_open("x")
    x = X.symbol
    ob = Obligation("thin", x > 0, (X,), hypotheses=(x > 1 - R(1, 10**10),))
    pt = CounterexampleSearch(samples=400).find_hypothesis_point(ob)
    assert pt is not None and pt["x"] > 1 - Fraction(1, 10**10)


# -- never from floats, always within budget, the same on every run --------------------------
_X12 = closed("x", 1, 2)
# true, but float64 rounds both sides to the same number: every point is a float "candidate"
_FLOAT_ONLY = Obligation("float", (_X12.symbol + R(1, 10**20))**2 > _X12.symbol**2, (_X12,))


def test_a_claim_false_only_in_floating_point_is_never_refuted():
    ob = _FLOAT_ONLY
    assert _search(ob) is None


def test_the_search_certifies_no_more_points_than_its_budget(monkeypatch):
    calls = []
    real_certify = search_module.certify_witness

    def counting(ob, values, source):
        calls.append(source)
        return real_certify(ob, values, source)

    monkeypatch.setattr(search_module, "certify_witness", counting)
    ob = _FLOAT_ONLY
    budget = SearchBudget(certify=7)
    w, _ = CounterexampleSearch(samples=50, budget=budget).find_witness(ob)
    assert w is None
    staged = [c for c in calls if not c.startswith("mpmath")]
    assert 0 < len(staged) <= budget.certify


def test_a_witness_is_the_same_under_any_hash_seed():
    code = (
        "import sympy as sp\n"
        "from bebcheck.checks.engines.search import CounterexampleSearch\n"
        "from bebcheck.symbolic.obligation import Obligation\n"
        "from bebcheck.symbolic.params import closed, positive\n"
        "E, G = positive('eps'), closed('gp', sp.Rational(1, 3), 1)\n"
        "eps, gp = E.symbol, G.symbol\n"
        "ob = Obligation('det', sp.And(eps > 0, eps < gp + 1 - sp.Rational(1, 10**9)), (E, G),"
        " hypotheses=(eps < gp + 1,))\n"
        "print(CounterexampleSearch().find_witness(ob)[0])\n"
    )
    outs = {subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                           check=True, env={"PYTHONHASHSEED": h}).stdout for h in ("1", "2")}
    assert len(outs) == 1 and "local search" in outs.pop()


def test_two_runs_of_the_randomised_stages_give_the_same_witness():
    X, Y = unit_open("x"), unit_open("y")
    x, y = X.symbol, Y.symbol
    claim = (x - R(3, 10))**2 + (y - R(7, 10))**2 > R(1, 10**10)
    a = _search(Obligation("same-id", claim, (X, Y)))
    b = _search(Obligation("same-id", claim, (X, Y)))
    assert a is not None and a.source.startswith("local search") and a == b


@pytest.mark.parametrize(("param", "has", "lacks"), [
    (closed("x", 0, 1), [Fraction(0), Fraction(1), Fraction(1, 10**12)], []),
    (unit_open("x"), [Fraction(1, 10**12), 1 - Fraction(1, 10**12)], [Fraction(0), Fraction(1)]),
    (positive("x"), [Fraction(1, 10**12), Fraction(10**6)], [Fraction(0)]),
    (real("x"), [Fraction(-(10**6)), Fraction(0), Fraction(10**6)], []),
    (nonneg_int("n", lower=1), [Fraction(1), Fraction(2), Fraction(10**6 + 1)], [Fraction(0)]),
])
def test_edge_values_are_the_domain_ends_and_points_just_inside(param, has, lacks):
    vals = edge_values(param)
    assert all(v in vals for v in has) and not any(v in vals for v in lacks)
    assert all(param.contains(v) for v in vals) and vals == sorted(vals)


# -- the certified evaluator: every function the obligations use -----------------------------
x, y = sp.Symbol("x", real=True), sp.Symbol("y", real=True)
n = sp.Symbol("n", integer=True)
L2 = sp.log(2)  # an Arb ball, never exact
F = Fraction


@pytest.mark.parametrize(("rel", "env", "want"), [
    (sp.Eq(sp.Max(x, y, 1), 3), {x: F(3), y: F(-1)}, True),  # exact
    (sp.Max(2 * L2 / x, 32 * L2 / x**2) > 50, {x: F(1, 2)}, True),  # CF.7: Max of balls
    (sp.Min(sp.exp(x), L2) < F(7, 10), {x: F(0)}, True),
    (sp.Eq(sp.floor(x), -1), {x: F(-1, 3)}, True),
    (sp.Eq(sp.floor(10 * L2, evaluate=False), 6, evaluate=False), {}, True),  # 6.93…
    (sp.Eq(sp.ceiling((x + sp.log(x / (1 - x))) / y), 1), {x: F(1, 2), y: F(3)}, True),  # CF.6
    (sp.Eq(sp.Piecewise((x, x > 1), (-x, True)), F(1, 2)), {x: F(-1, 2)}, True),
    (sp.Eq(sp.Abs(x - 3), 5), {x: F(-2)}, True),
    (sp.Abs(sp.log(x)) > F(69, 100), {x: F(1, 2)}, True),
    (sp.log(x) < 0, {x: F(0)}, None),  # undefined: never decided
    (sp.exp(x) > F(2718, 1000), {x: F(1)}, True),
    (sp.Eq(sp.sqrt(x), F(3, 2)), {x: F(9, 4)}, True),  # a perfect square stays exact
    (sp.Eq(sp.sqrt(x), 0), {x: F(0)}, True),  # sqrt(0) is defined
    (sp.sqrt(x) > F(1414, 1000), {x: F(2)}, True),
    (sp.Eq(x ** R(3, 2), F(27, 8)), {x: F(9, 4)}, True),
    (x ** R(2, 3) > F(1587, 1000), {x: F(2)}, True),  # 1.5874…
    (sp.sqrt(x) > 0, {x: F(-1)}, None),  # a real root of a negative number is undefined
    (sp.Eq(x**n, -8), {x: F(-2), n: F(3)}, True),  # integer parameter exponent, negative base
    (sp.Eq(x**(-n), 4), {x: F(-1, 2), n: F(2)}, True),
    (x**n < F(1, 10**1000), {x: F(1, 3), n: F(10**6)}, True),  # huge exponent, in Arb
    (sp.log(x)**2 > F(192, 100), {x: F(1, 4)}, True),
    (sp.StrictGreaterThan(sp.pi, R(314, 100), evaluate=False), {}, True),
    (sp.StrictLessThan(sp.E, R(272, 100), evaluate=False), {}, True),
])
def test_the_certified_evaluator_decides_each_function(rel, env, want):
    assert holds(rel, env) is want


def test_integer_powers_of_a_ball_reaching_below_zero_are_tight():
    b = flint.arb(0).union(flint.arb(-1))  # [-1, 0]
    sq, cube = evaluate(x**2, {x: b}), evaluate(x**3, {x: b})
    q = flint.fmpq
    assert sq.upper() < q(101, 100) and sq.lower() > q(-1, 100)  # Arb's own power: nan
    assert cube.lower() > q(-101, 100) and cube.upper() < q(1, 100)
    assert evaluate(x**2, {x: flint.arb(0).union(flint.arb(q(1, 10)))}).upper() < q(2, 100)


def _node_types(ob: Obligation) -> set[type]:
    exprs = [ob.expanded_claim(), *ob.expanded_hypotheses(with_facts=True)]
    exprs += [ob._subst(sc) for f in ob.facts for sc in f.side_conditions]
    return {type(node) for e in exprs for node in sp.preorder_traversal(e)
            if isinstance(node, sp.Expr)}


def _all_obligations() -> list[Obligation]:
    out: list[Obligation] = []
    todo = [o for name in DEFAULT.names() for _, o in DEFAULT.chain(name).obligations()]
    while todo:
        o = todo.pop()
        out.append(o)
        todo += o.side_obligations()
    return out


def test_every_function_in_the_audited_obligations_has_a_certified_rule():
    used = set().union(*(_node_types(o) for o in _all_obligations()))
    assert {sp.log, sp.exp, sp.Abs, sp.floor, sp.ceiling, sp.Max} <= used  # the walk sees them
    missing = [t.__name__ for t in used
               if not any(c in _certified._EVAL for c in t.__mro__)]
    assert missing == []


@pytest.mark.parametrize("ob_id", ["CF.6/below", "CF.7/both-terms"])
def test_closed_forms_with_max_and_ceiling_are_decided_at_their_points(ob_id):
    ob = next(o for o in _all_obligations() if o.id == ob_id)
    pt = CounterexampleSearch().find_hypothesis_point(ob)
    assert pt is not None
    assert holds(ob.expanded_claim(), {p.symbol: pt[p.name] for p in ob.params}) is True
