"""Spec files: read, never run; the same mathematics and verdicts as the Python encoding; hostile input."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from fractions import Fraction
from pathlib import Path

import pytest
import sympy as sp
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bebcheck.checks.audit.cache import canonical_form
from bebcheck.proofs import DEFAULT
from bebcheck.symbolic.spec import ExprError, SpecError, load_spec, loads_spec, parse_expr

ROOT = Path(__file__).parent.parent
V1 = ROOT / "proofs" / "specs" / "beb-v1.toml"
X, Y = sp.symbols("x y", real=True)
NAMES = {"x": X, "y": Y}


# -- the expression language --------------------------------------------------------------
@pytest.mark.parametrize(("text", "want"), [
    ("0.1 * x", sp.Rational(1, 10) * X),
    ("1e-3 + x", sp.Rational(1, 1000) + X),
    ("log(x/y) == log(x) - log(y)", sp.Eq(sp.log(X / Y), sp.log(X) - sp.log(Y), evaluate=False)),
    ("0 < x <= 1", sp.And(sp.StrictLessThan(0, X), X <= 1)),  # as written, not normalised
    ("abs(x) < 2 and not y > 1", sp.And(sp.Abs(X) < 2, sp.Not(Y > 1))),
    ("max(x, y, 3) ** 2", sp.Max(X, Y, 3) ** 2),
    ("exp(-x) >= 1 - x or x > 5", sp.Or(sp.exp(-X) >= 1 - X, X > 5)),
])
def test_formulas_build_exact_sympy(text, want):
    assert parse_expr(text, NAMES) == want


@pytest.mark.parametrize(("text", "why"), [
    ("__import__('os').system('true')", "unknown function"),
    ("x.__class__", "an attribute"),
    ("(x).real", "an attribute"),
    ("x[0]", "a subscript"),
    ("'text'", "a str constant"),
    ("lambda: 1", "a lambda"),
    ("[i for i in x]", "ListComp"),
    ("z + 1", "unknown name 'z'"),
    ("_x + 1", "may not start with '_'"),
    ("log(x, base=2)", "positional arguments only"),
    ("log(x, y)", "takes 1 argument"),
    ("eval('1')", "unknown function 'eval'"),
    ("x if y else 1", "a conditional"),
    ("(y := 2)", "':='"),
    ("x @ y", "MatMult"),
    ("1" * 80, "more than 60 digits"),
    ("1e400", "beyond 1e±300"),
    ("x ** 5000", "a power beyond"),
    ("(2**60)**80", "more than 4096 bits"),
    ("(" * 60 + "x" + ")" * 60, "nested more than"),
    ("x + " * 3000 + "x", "more than 4000 characters"),
    ("x +", "not a formula"),
    ("True", "a bool constant"),
])
def test_anything_outside_the_language_is_refused_with_its_reason(text, why):
    with pytest.raises(ExprError, match=why.replace("(", r"\(").replace("*", r"\*")):
        parse_expr(text, NAMES)


def test_refused_formulas_run_nothing(tmp_path):
    marker = tmp_path / "ran"
    for text in (f"__import__('os').system('touch {marker}')",
                 f"open('{marker}', 'w')", "exec('x=1')"):
        with pytest.raises(ExprError):
            parse_expr(text, NAMES)
    assert not marker.exists()


# -- the v1 paper as a spec ---------------------------------------------------------------
def test_the_v1_spec_says_what_the_python_encoding_says():
    spec = load_spec(V1)
    for name in spec.paper.names():
        ours, theirs = spec.paper.chain(name), DEFAULT.chain(name)
        assert [_step_facts(s) for s in ours.steps] == [_step_facts(s) for s in theirs.steps]
        for (_, a), (_, b) in zip(ours.obligations(), theirs.obligations(), strict=True):
            assert a.id == b.id and canonical_form(a) == canonical_form(b)


def _step_facts(s):
    """What a step says besides its obligations: everything a report shows of it."""
    return (s.id, s.kind, s.location, s.quote, s.repairs, s.explanation, s.lemmas, s.finding,
            len(s.obligations))


def test_the_v1_spec_holds_theorems_1_and_2_and_lemma_b():
    assert load_spec(V1).paper.names() == ["lemma_b", "theorem1", "theorem2"]


def test_the_v1_spec_gets_the_python_encodings_verdicts(checker):
    spec = load_spec(V1)
    for name in spec.paper.names():
        ours = checker.check_chain(spec.paper.chain(name))
        theirs = checker.check_chain(DEFAULT.chain(name))
        assert [(s.step.id, s.verdict) for s in ours.steps] == \
            [(s.step.id, s.verdict) for s in theirs.steps]
        assert (ours.faithful, ours.repaired) == (theirs.faithful, theirs.repaired)


def test_each_steps_line_is_where_its_table_names_it():
    spec = load_spec(V1)
    lines = V1.read_text().splitlines()
    for (_, sid), n in spec.step_lines.items():
        assert lines[n - 1].strip() == f'id = "{sid}"'


# -- errors name the file, line and column ------------------------------------------------
def _bad(text: str) -> str:
    with pytest.raises(SpecError) as e:
        loads_spec(text, "bad.toml")
    message = str(e.value)
    assert "\n" not in message
    return message


def _with(old: str, new: str) -> str:
    text = V1.read_text()
    assert old in text
    return text.replace(old, new, 1)


def test_an_unknown_name_in_a_claim_is_located_at_that_name():
    text = _with('claim = "l > -c"', 'claim = "l > -k"')
    line = next(i for i, s in enumerate(text.splitlines(), 1) if '"l > -k"' in s)
    col = text.splitlines()[line - 1].index("l > -k") + 1 + len("l > -")
    assert _bad(text).startswith(f"bad.toml:{line}:{col}: obligation B.3/term: unknown name 'k'")


@pytest.mark.parametrize(("old", "new", "why"), [
    ('lemma = "log_mul"', 'lemma = "log_magic"', "unknown lemma 'log_magic'"),
    ('params = ["c", "l"]', 'params = ["c", "q"]', "parameter 'q' is not declared"),
    ('kind = "given"', 'kind = "maybe"', "'maybe' is not one of"),
    ('domain = "(0, inf)"', 'domain = "(0; 1)"', "write real, integer or an interval"),
    ('quote = "M0 = …', 'qoute = "M0 = …', "unknown key 'qoute'"),
    ('[paper]', '[paper]\nkey = 3', "not TOML"),
    ('params = ["c", "m", "S", "l"]', 'params = ["c", "m", "S", "l"]\n    witnesses = ["c"]',
     "declared twice"),
])
def test_a_bad_spec_is_one_line_naming_file_line_and_column(old, new, why):
    message = _bad(_with(old, new))
    assert message.startswith("bad.toml:") and why in message
    _, line, col, _ = message.split(":", 3)
    assert int(line) >= 1 and int(col) >= 1


def test_files_that_are_not_specs_are_refused_before_reading(tmp_path):
    big = tmp_path / "big.toml"
    big.write_bytes(b"#" * (3 << 20))
    with pytest.raises(SpecError, match="larger than"):
        load_spec(big)
    with pytest.raises(SpecError, match="not a regular file"):
        load_spec("/dev/zero")
    binary = tmp_path / "bin.toml"
    binary.write_bytes(b"\xff\xfe")
    with pytest.raises(SpecError, match="not UTF-8"):
        load_spec(binary)
    deep = tmp_path / "deep.toml"
    deep.write_text("a = " + "[" * 5000 + "]" * 5000)
    with pytest.raises(SpecError, match="not TOML"):
        load_spec(deep)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_a_mangled_spec_loads_or_fails_with_one_line_within_two_seconds(data):
    text = V1.read_text()
    for _ in range(data.draw(st.integers(1, 4))):
        at = data.draw(st.integers(0, len(text)))
        cut = data.draw(st.integers(0, 40))
        junk = data.draw(st.sampled_from(
            ["", "(", ")", "__", ".", "[", "]", "=", '"', "x" * 70, "9" * 90, "**9999", "lambda",
             "\n[[result]]\n", "\n[[result.step]]\n", "{", "}", "'", "\\", "#", "(" * 50]))
        text = text[:at] + junk + text[at + cut:]
    t0 = time.perf_counter()
    message = _outcome(text)
    assert time.perf_counter() - t0 < 2
    assert message is None or ("\n" not in message and message.startswith("fuzz.toml:"))


def _outcome(text: str) -> str | None:
    """``None`` if the text loads, else the one line it fails with (anything else raises)."""
    try:
        loads_spec(text, "fuzz.toml")
    except SpecError as e:
        return str(e)
    return None


# -- the command --------------------------------------------------------------------------
def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "bebcheck.checks.cli", *args],
                          capture_output=True, text=True, timeout=300,
                          env={**os.environ, "BEBCHECK_NO_CACHE": "1"})


def test_check_audits_a_spec_like_audit_does_the_built_in_result():
    ours = _cli("check", str(V1))
    theirs = _cli("audit", *load_spec(V1).paper.names())
    assert ours.returncode == theirs.returncode == 0
    assert ours.stdout == theirs.stdout


def test_check_of_a_bad_spec_exits_2_with_one_line_and_runs_nothing(tmp_path):
    marker = tmp_path / "ran"
    bad = tmp_path / "bad.toml"
    bad.write_text(_with('claim = "l > -c"',
                         f'claim = "__import__(\'os\').system(\'touch {marker}\')"'))
    out = _cli("check", str(bad))
    assert out.returncode == 2 and out.stderr.count("\n") == 1
    assert out.stderr.startswith(f"bebcheck: error: {bad}:") and "unknown function" in out.stderr
    assert not marker.exists() and out.stdout == ""


def test_check_sarif_points_at_the_spec_file():
    import json

    bad = _with('claim = "S + l > -(m + 1)*c"', 'claim = "S + l > -m*c"')  # a false step
    path = ROOT / "tests" / "data" / ".mutant-spec.toml"
    path.write_text(bad)
    try:
        out = _cli("check", str(path), "--result", "lemma_b", "--format", "sarif")
    finally:
        path.unlink()
    assert out.returncode == 1
    run = json.loads(out.stdout)["runs"][0]
    assert run["artifacts"][0]["location"]["uri"].endswith(".mutant-spec.toml")
    (result,) = [r for r in run["results"] if r["kind"] == "fail"]
    line = result["locations"][0]["physicalLocation"]["region"]["startLine"]
    assert bad.splitlines()[line - 1].strip() == 'id = "B.3"'


def test_hints_are_exact_rationals():
    spec = load_spec(V1)
    ob = next(o for _, o in spec.paper.chain("lemma_b").obligations()
              if o.id == "B.2/induction-step")
    assert dict(ob.hints[0]) == {"u": Fraction(1, 2), "x": Fraction(1, 2), "S": 0,
                                 "v": Fraction(1, 3), "y": Fraction(1, 4)}


def test_the_tutorial_in_the_docs_runs_as_it_says(tmp_path):
    import re

    doc = (ROOT / "docs" / "spec-format.md").read_text()
    toml = re.search(r"Write `bernoulli.toml`:\n\n```toml\n(.*?)```", doc, re.S)
    assert toml is not None
    path = tmp_path / "bernoulli.toml"
    path.write_text(toml.group(1))
    out = _cli("check", str(path))
    assert out.returncode == 0  # "exit 0: the repaired chain is PROVED"
    assert "REFUTED  S.1/reciprocal — certified counterexample" in out.stdout
    assert "PROVED   S.1r/reciprocal" in out.stdout


def test_errata_of_the_spec_are_the_built_in_errata_of_those_results():
    import json

    out = _cli("errata", str(V1), "--format", "json")
    assert out.returncode == 0
    ours = json.loads(out.stdout)["errata"]
    names = set(load_spec(V1).paper.names())
    sheet = json.loads((ROOT / "docs" / "errata.json").read_text())["errata"]
    theirs = [e for e in sheet if e["result"] in names]
    key = lambda e: (e["result"], e["id"])  # noqa: E731
    assert sorted(map(key, ours)) == sorted(map(key, theirs)) and ours
    by = {key(e): e for e in theirs}
    for e in ours:
        assert (e["location"], e["quote"], e["severity"], e["what"]) == \
            tuple(by[key(e)][k] for k in ("location", "quote", "severity", "what"))


LATER = ROOT / "proofs" / "specs" / "beb-later.toml"


def test_the_later_version_is_audited_from_its_spec_alone():
    """The later version (five authors), from the spec file only: Theorem 1 and Lemma 4 prove
    as printed; Theorems 2 and 3 have printing slips (T2.1, T3.1, T3.5); Theorem 4 is false as
    stated (G.8, refuted by proof, a consequence of G.2's best-of-n step); every repair proves."""
    import json

    out = _cli("check", str(LATER), "--format", "json")
    assert out.returncode == 0
    doc = json.loads(out.stdout)
    chains = {r["result"]: r for r in doc["results"]}
    assert (chains["theorem1"]["faithful"], chains["theorem1"]["repaired"]) == \
        ("PROVED", "PROVED")
    assert (chains["theorem4"]["faithful"], chains["theorem4"]["repaired"]) == \
        ("REFUTED", "PROVED")
    steps = {s["id"]: s for s in chains["theorem4"]["steps"]}
    assert steps["G.8"]["verdict"] == "REFUTED" and steps["G.8"]["refuted_by_proof"]
    assert steps["G.2"]["verdict"] == "REFUTED" and steps["G.2r"]["verdict"] == "PROVED"
    assert steps["G.8r"]["verdict"] == "PROVED"
    assert list(chains) == ["theorem1", "lemma4", "theorem2", "theorem3", "theorem4",
                            "theorem5"]
    assert chains["lemma4"]["faithful"] == chains["theorem5"]["faithful"] == "PROVED"
    refuted = {(r, s["id"]) for r, c in chains.items() for s in c["steps"]
               if s["kind"] == "faithful" and s["verdict"] == "REFUTED"}
    assert refuted == {("theorem2", "T2.1"), ("theorem3", "T3.1"), ("theorem3", "T3.5"),
                       ("theorem3", "T3.6"), ("theorem4", "G.2"), ("theorem4", "G.4"),
                       ("theorem4", "G.8")}
    assert all(c["repaired"] == "PROVED" for c in chains.values())
    t3 = {s["id"]: s for s in chains["theorem3"]["steps"]}
    # q_k need not end with a negative sentence: a proved gap, closed by one more sentence
    for gap, fixes in (("T3.2a", ("T3.2ar",)), ("T3.7", ("T3.7r",))):
        assert t3[gap]["verdict"] == "INCONCLUSIVE"
        assert all(o["verdict"] == "PROVED" for o in t3[gap]["obligations"])
        assert all(t3[f]["verdict"] == "PROVED" for f in fixes)


@pytest.mark.parametrize(("fmt", "name"), [("md", "errata-later.md"), ("json", "errata-later.json")])
def test_the_later_versions_committed_errata_are_what_bebcheck_errata_writes(fmt, name):
    out = _cli("errata", str(LATER), "--format", fmt)
    assert out.returncode == 0
    assert out.stdout == (ROOT / "docs" / name).read_text(encoding="utf-8")


def test_check_sarif_of_two_specs_points_each_result_at_its_own_file(tmp_path):
    import json

    bernoulli = tmp_path / "tutorial.toml"
    doc = (ROOT / "docs" / "spec-format.md").read_text()
    import re

    bernoulli.write_text(re.search(r"```toml\n(.*?)```", doc, re.S).group(1))
    out = _cli("check", str(V1), str(bernoulli), "--result", "lemma_b", "--result", "main",
               "--format", "sarif")
    run = json.loads(out.stdout)["runs"][0]
    (tutorial,) = [r for r in run["results"] if r["properties"]["result"] == "main"
                   and r["kind"] == "fail"]
    loc = tutorial["locations"][0]["physicalLocation"]
    assert loc["artifactLocation"]["uri"].endswith("tutorial.toml")
    assert bernoulli.read_text().splitlines()[loc["region"]["startLine"] - 1].strip() == \
        'id = "S.1"'
    assert {a["location"]["uri"].rsplit("/", 1)[-1] for a in run["artifacts"]} == \
        {"beb-v1.toml", "tutorial.toml"}


def test_check_refuses_one_result_in_two_files(tmp_path):
    twin = tmp_path / "twin.toml"
    twin.write_text(V1.read_text())
    out = _cli("check", str(V1), str(twin))
    assert out.returncode == 2 and out.stderr.count("\n") == 1
    assert "result 'lemma_b' is also in" in out.stderr


def test_theorem4_counterexample_of_the_later_version_holds_in_an_exact_two_sentence_model():
    """G.8, realised: sentences a (B = +1) and b (B = −1), P−(b) = 3/5, P+(b) = 1/10 at every
    prefix, α = 1/2, ϵ = 1/10, β = KL(P−‖P+)/2 (Theorem 1's conditions).  For every prompt up to
    Theorem 4's printed length (all counts of a and b: the posterior depends on nothing else),
    exactly: best of 2 keeps B ≥ γ + ϵ, while a single sample (Theorem 1) drops below γ + ϵ."""
    import math

    qm, qp, alpha, eps = Fraction(3, 5), Fraction(1, 10), Fraction(1, 2), Fraction(1, 10)
    gamma = 1 - 2 * qm  # sup_s B_P−(s): every next sentence is b with probability qm
    kl = float(qm) * math.log(qm / qp) + float(1 - qm) * math.log((1 - qm) / (1 - qp))
    beta = kl / 2
    printed = math.ceil((math.log(1 / alpha) + math.log(1 / eps) + math.log(4) + math.log(2))
                        / beta)
    assert printed >= 10
    single_below = False
    for length in range(printed + 1):
        for nb in range(length + 1):
            na = length - nb
            pm = qm**nb * (1 - qm) ** na  # P−(s)
            pp = qp**nb * (1 - qp) ** na  # P+(s)
            w = alpha * pm / (alpha * pm + (1 - alpha) * pp)  # posterior weight of P−
            p = w * qm + (1 - w) * qp  # the next sentence is b
            assert 1 - 2 * p**2 >= gamma + eps, (na, nb)  # best of 2: a unless both are b
            single_below |= 1 - 2 * p < gamma + eps
    assert single_below  # the model is misalignable without best-of-n: the check can fail
