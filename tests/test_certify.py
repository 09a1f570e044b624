"""Exact certificates: the search finds them, the standalone checker accepts them and rejects
planted bad ones (a perturbed coefficient, a Gram matrix that is not PSD, another polynomial's
proof, a missing premise), and the CLI writes, re-checks and shows them."""

from __future__ import annotations

import ast
import copy
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from bebcheck.checks.certify import checker
from bebcheck.checks.certify.build import make_certificate
from bebcheck.checks.certify.polyform import statement
from bebcheck.checks.engines._smtlib import smt_pair
from bebcheck.symbolic.lemmas import BERNOULLI, LOG_MONOTONE
from bebcheck.symbolic.params import positive, real

from .helpers import ob

CHECKER = Path(checker.__file__)
x, y, d = sp.symbols("x y d", real=True)
X, Y = positive("x"), positive("y")


def _cert(o):
    out = make_certificate(o)
    assert out.doc is not None, out.reason
    return out.doc


def _query(body: str, names: str) -> str:
    decls = "".join(f"(declare-const {n} Real)\n" for n in names.split())
    return f"(set-logic ALL)\n{decls}{body}(check-sat)\n"


def _doc(text: str, proof: dict) -> dict:
    return {"format": "bebcheck-certificate-1", "obligation": "planted", "smtlib": text,
            "origins": ["hypothesis"] * text.count("(assert "), "proof": proof}


def _rejected(doc: dict, audit: dict | None = None) -> str:
    with pytest.raises(checker.CertificateError) as e:
        checker.check(json.loads(json.dumps(doc)), audit)
    return str(e.value)


@pytest.fixture(scope="module")
def premise_cert():
    """x, y > 0 and log x < log y give x < y: the log_strict_mono instance is a premise."""
    o = ob(x < y, [X, Y], hyps=[sp.log(x) < sp.log(y)],
           facts=[LOG_MONOTONE.instance(x=x, y=y)], id="mono")
    return o, _cert(o)


@pytest.fixture(scope="module")
def bernoulli_cert():
    """Bernoulli's inequality tight at 0: 1/(1+x) >= 1 - x for x > -1 (reciprocal, squares)."""
    o = ob(1 / (1 + x) >= 1 - x, [real("x")], hyps=[x > -1], id="bern")
    return o, _cert(o)


def _psatz_leaves(node: dict) -> list[dict]:
    if "psatz" in node:
        return [node["psatz"]]
    return [leaf for k in node.get("branches", {}).values() for leaf in _psatz_leaves(k)]


def test_a_certificate_states_the_solvers_query_and_names_its_premise(premise_cert):
    o, doc = premise_cert
    assert doc["smtlib"] == smt_pair(o)[1].text == statement(o).text
    premises = checker.check(doc)
    assert premises == [p for p in doc["origins"] if p.startswith("premise log_strict_mono")]
    assert len(premises) == 1 and "x := x" in premises[0]
    assert doc["origins"][-1] == "negated claim"


def test_a_perturbed_coefficient_is_rejected(bernoulli_cert):
    _, doc = bernoulli_cert
    checker.check(doc)
    bad = copy.deepcopy(doc)
    leaf = _psatz_leaves(bad["proof"])[0]
    term = next(t for t in leaf["products"] if isinstance(t["sos"], str))
    term["sos"] = str(checker.Q(term["sos"]) + checker.Q(1, 10**9))
    assert "identity does not hold" in _rejected(bad)


@settings(max_examples=25, deadline=None)
@given(st.data())
def test_any_single_changed_multiplier_breaks_the_identity(bernoulli_cert, data):
    _, doc = bernoulli_cert
    bad = copy.deepcopy(doc)
    leaves = _psatz_leaves(bad["proof"])
    leaf = data.draw(st.sampled_from(leaves))
    slots = [t for t in leaf["products"] if isinstance(t["sos"], str)] + leaf["ideal"]
    slot = data.draw(st.sampled_from(slots))
    delta = data.draw(st.fractions(min_value=-5, max_value=5).filter(bool))
    if "sos" in slot:
        slot["sos"] = str(checker.Q(slot["sos"]) + delta)
    else:  # an ideal multiplier t_j: add delta times a monomial
        mono = data.draw(st.sampled_from(["1", "x", "(* x x)", "_D0"]))
        size = f"(/ {abs(delta.numerator)} {delta.denominator})"
        slot["mul"] = f"(+ {slot['mul']} (* {size if delta > 0 else f'(- {size})'} {mono}))"
    assert _rejected(bad)


def test_a_gram_matrix_that_is_not_psd_is_rejected():
    # x^2 > 0 is satisfiable; "-x^2 + x^2 = 0" balances only with the Gram matrix [[-1]]
    text = _query("(assert (> (* x x) 0))\n", "x")
    proof = {"split": "(* x x)", "branches": {
        "<=": {"false": True},
        ">": {"psatz": {"products": [{"sos": {"basis": ["x"], "gram": [["-1"]]}, "of": []},
                                     {"sos": "1", "of": [0]}], "ideal": []}}}}
    assert "not PSD" in _rejected(_doc(text, proof))
    assert not checker.psd([[checker.Q(1), checker.Q(2)], [checker.Q(2), checker.Q(1)]])
    assert checker.psd([[checker.Q(1), checker.Q(-1)], [checker.Q(-1), checker.Q(1)]])


def test_a_sum_of_squares_certificate_is_found_and_accepted():
    # x^2 + y^2 < 2xy: only (x - y)^2 >= 0 refutes it (no product of constraints does)
    from bebcheck.checks.certify.search import prove
    from bebcheck.checks.certify.sos import find_sos

    text = _query("(assert (< (+ (* x x) (* y y)) (* 2 x y)))\n", "x y")
    doc = _doc(text, prove(text, harder=[find_sos]))
    checker.check(doc)
    grams = [t["sos"] for leaf in _psatz_leaves(doc["proof"]) for t in leaf["products"]
             if isinstance(t["sos"], dict)]
    assert grams and len(grams[0]["basis"]) == 2


def test_a_certificate_for_another_polynomial_is_rejected(premise_cert, bernoulli_cert):
    _, mono = premise_cert
    _, bern = bernoulli_cert
    swapped = copy.deepcopy(bern)
    swapped["proof"] = mono["proof"]
    assert _rejected(swapped)
    claim = copy.deepcopy(mono)  # the claim's polynomial changed: x < 2y instead of x < y
    claim["smtlib"] = claim["smtlib"].replace("(>= x y)", "(>= x (* 2 y))")
    assert claim["smtlib"] != mono["smtlib"]
    assert _rejected(claim)


def test_a_missing_premise_is_rejected(premise_cert):
    o, doc = premise_cert
    k = next(i for i, p in enumerate(doc["origins"]) if p.startswith("premise"))
    lines = doc["smtlib"].splitlines(keepends=True)
    asserts = [i for i, line in enumerate(lines) if line.startswith("(assert ")]
    bad = copy.deepcopy(doc)
    bad["smtlib"] = "".join(line for i, line in enumerate(lines) if i != asserts[k])
    bad["origins"].pop(k)
    assert _rejected(bad)  # the proof needs the premise
    assert "audit's query" in _rejected(bad, {o.id: doc["smtlib"]})
    checker.check(doc, {o.id: doc["smtlib"]})


def test_integrality_and_floors_are_reported_not_certified():
    # 0 < n < 1 has no integer solution, but real ones: integer variables are read as reals
    from bebcheck.checks.certify.search import NotFound, prove

    text = ("(set-logic ALL)\n(declare-const n Int)\n(assert (> n 0))\n(assert (< n 1))\n"
            "(check-sat)\n")
    with pytest.raises(NotFound, match="integrality"):
        prove(text)
    proof = {"split": "n", "int": True, "branches": {"<=": {"false": True}, ">": {
        "split": "(+ n (- 1))", "branches": {"<": {"false": True}, ">=": {"false": True}}}}}
    assert "may hold" in _rejected(_doc(text, proof))  # "int" does not make n > 0 mean n >= 1
    floor = _query("(assert (>= x 0))\n(assert (< (to_int x) 0))\n", "x")
    with pytest.raises(NotFound, match="integrality"):
        prove(floor)
    assert "to_int" in _rejected(_doc(floor, {"false": True}))


def test_an_unproved_side_condition_premise_is_still_named():
    o = ob(x**2 >= 0, [real("x")], hyps=[x > 0], facts=[BERNOULLI.instance(x=x)], id="b")
    doc = _cert(o)
    assert [p for p in doc["origins"] if p.startswith("premise bernoulli")]


def test_the_checker_is_short_and_uses_the_standard_library_only():
    text = CHECKER.read_text(encoding="utf-8")
    assert len(text.splitlines()) <= 200
    mods = {a.name.split(".")[0] for n in ast.walk(ast.parse(text)) if isinstance(n, ast.Import)
            for a in n.names}
    mods |= {n.module.split(".")[0] for n in ast.walk(ast.parse(text))
             if isinstance(n, ast.ImportFrom) and n.module}
    assert mods and mods <= set(sys.stdlib_module_names) | {"__future__"}


def _cli(*args: str, cwd: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "bebcheck.checks.cli", *args],
                          capture_output=True, text=True, timeout=600, cwd=cwd)


@pytest.fixture(scope="module")
def certified_dir(tmp_path_factory):
    out = tmp_path_factory.mktemp("certs")
    p = _cli("certify", "lemma_b", "-o", str(out))
    assert p.returncode == 0, p.stderr
    assert "certified" in p.stdout
    return out


def test_certify_writes_certificates_and_an_index(certified_dir):
    index = json.loads((certified_dir / "index.json").read_text())
    files = sorted(f.name for f in certified_dir.glob("*.json") if f.name != "index.json")
    assert index["proved"] >= 4 and index["certified"] == len(files) > 0
    assert sorted(v["file"] for v in index["obligations"].values() if "file" in v) == files


def test_verify_certificates_needs_no_solver_and_no_sympy(certified_dir):
    code = ("import sys; from bebcheck.checks.cli import main; "
            f"rc = main(['verify-certificates', {str(certified_dir)!r}]); "
            "print(rc, sorted(m for m in ('sympy', 'z3', 'cvc5', 'cvxpy', 'numpy') "
            "if m in sys.modules))")
    p = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                       timeout=120)
    assert p.returncode == 0, p.stderr
    assert p.stdout.splitlines()[-1] == "0 []"
    assert "0 rejected" in p.stdout


def test_the_standalone_checker_runs_outside_bebcheck(certified_dir, tmp_path):
    alone = tmp_path / "checker.py"
    shutil.copy(CHECKER, alone)
    audit = tmp_path / "audit.json"
    p = _cli("audit", "lemma_b", "--format", "json", "-o", str(audit))
    assert p.returncode == 0, p.stderr
    p = subprocess.run([sys.executable, "-I", str(alone), str(certified_dir), str(audit)],
                       capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert p.returncode == 0, p.stdout + p.stderr
    assert " 0 rejected" in p.stdout


def test_a_tampered_certificate_fails_verification(certified_dir, tmp_path):
    bad = tmp_path / "bad"
    shutil.copytree(certified_dir, bad)
    target = bad / "B.3_term.json"
    doc = json.loads(target.read_text())
    doc["smtlib"] = doc["smtlib"].replace("(> c 0)", "(> c 1)")
    target.write_text(json.dumps(doc))
    p = _cli("verify-certificates", str(bad), "--format", "json")
    assert p.returncode == 1
    assert list(json.loads(p.stdout)["rejected"]) == ["B.3_term.json"]
    p = _cli("verify-certificates", str(tmp_path / "missing"))
    assert p.returncode == 2 and p.stderr.count("\n") == 1 and "Traceback" not in p.stderr


def test_audit_with_certificates_shows_proved_certified(certified_dir, tmp_path):
    p = _cli("audit", "lemma_b", "--certificates", str(certified_dir))
    assert p.returncode == 0, p.stderr
    assert "B.3/term [z3,cvc5] (certified)" in p.stdout or "(certified)" in p.stdout
    assert "4 PROVED (4 certified)" in p.stdout
    out = tmp_path / "a.json"
    _cli("audit", "lemma_b", "--format", "json", "-o", str(out),
         "--certificates", str(certified_dir))
    obs = [o for s in json.loads(out.read_text())["results"][0]["steps"]
           for o in s["obligations"]]
    assert all(o["certificate"].endswith(".json") for o in obs)
    plain = _cli("audit", "lemma_b")
    assert "certified" not in plain.stdout
    empty = tmp_path / "empty"
    empty.mkdir()
    assert "certified" not in _cli("audit", "lemma_b", "--certificates", str(empty)).stdout
