"""The proof cache: same verdicts with and without it; bad, foreign or tampered entries ignored."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from bebcheck.checks.audit import Checker, Policy, to_json
from bebcheck.checks.audit.cache import (
    NO_CACHE_ENV,
    ProofCache,
    canonical_form,
    default_directory,
    environment_digest,
)
from bebcheck.proofs import DEFAULT

RESULTS = ("theorem1", "lemma_b")


def _run(store: ProofCache | None, results=RESULTS) -> tuple[str, Checker]:
    with Checker(Policy(), cache=store, lazy=True) as ch:
        reports = ch.check_chains([DEFAULT.chain(n) for n in results])
    return _without_times(to_json(reports, 0.0, DEFAULT.citation)), ch


def _without_times(text: str) -> str:
    def strip(x):
        if isinstance(x, dict):
            return {k: strip(v) for k, v in x.items() if k != "seconds"}
        if isinstance(x, list):
            return [strip(v) for v in x]
        return x

    return json.dumps(strip(json.loads(text)), indent=1)


@pytest.fixture(scope="module")
def uncached() -> str:
    return _run(None)[0]


@pytest.fixture
def store(tmp_path) -> ProofCache:
    return ProofCache(tmp_path, Policy())


def _entries(store: ProofCache) -> list[Path]:
    """The entries of the chains' own obligations (side obligations are stored inside them)."""
    keys = {store.key(canonical_form(o)) for n in RESULTS
            for _, o in DEFAULT.chain(n).obligations()}
    return sorted(p for p in store.directory.rglob("*.json") if p.stem in keys)


def test_a_cached_audit_reports_exactly_what_an_uncached_one_does(store, uncached):
    first, _ = _run(store)
    assert first == uncached and store.misses > 0 and store.hits == 0
    again = ProofCache(store.directory.parent, Policy())
    second, checker = _run(again)
    assert second == uncached
    assert again.hits > 0 and again.misses == 0 and again.ignored == 0
    assert checker._started is False  # nothing to prove: no solver worker was started


def _verdicts(text: str) -> list[tuple[str, str, str]]:
    doc = json.loads(text)
    return [(s["id"], s["verdict"], o["verdict"]) for r in doc["results"] for s in r["steps"]
            for o in s["obligations"]]


def test_a_subset_audited_after_the_whole_reuses_its_entries_with_the_same_verdicts(store):
    """Byte for byte only for the same command: which obligation is reported as the same as
    which, and from which certified point a side obligation was checked, depend on what else
    the run checks.  Verdicts never do."""
    _run(store)
    again = ProofCache(store.directory.parent, Policy())
    alone, _ = _run(again, ("lemma_b",))
    assert again.misses == 0
    assert _verdicts(alone) == _verdicts(_run(None, ("lemma_b",))[0])


@pytest.mark.parametrize("damage", ["truncate", "garbage", "foreign", "digest", "shape"])
def test_a_damaged_or_foreign_entry_is_ignored_and_replaced(store, uncached, damage):
    _run(store)
    files = _entries(store)
    victim, other = files[0], files[1]
    entry = json.loads(victim.read_text())
    if damage == "truncate":
        victim.write_bytes(victim.read_bytes()[: len(victim.read_bytes()) // 2])
    elif damage == "garbage":
        victim.write_bytes(b"\x00\xff not json")
    elif damage == "foreign":  # another obligation's entry under this key
        victim.write_bytes(other.read_bytes())
    elif damage == "digest":  # a verdict flipped without re-sealing the entry
        entry["payload"]["verdict"] = "PROVED" if entry["payload"]["verdict"] != "PROVED" \
            else "REFUTED"
        victim.write_text(json.dumps(entry))
    else:  # re-sealed, but not an entry's shape
        entry["payload"]["results"] = "none"
        _reseal(entry)
        victim.write_text(json.dumps(entry))
    again = ProofCache(store.directory.parent, Policy())
    out, _ = _run(again)
    assert out == uncached
    assert again.ignored == 1
    assert json.loads(victim.read_text())["key"] == victim.stem  # written again, whole


def _reseal(entry: dict) -> None:
    body = json.dumps(entry["payload"], sort_keys=True, ensure_ascii=True)
    entry["sha256"] = hashlib.sha256(body.encode()).hexdigest()


def test_a_resealed_entry_whose_point_does_not_certify_is_rejected(store, uncached):
    _run(store)
    victim = next(p for p in _entries(store)
                  if json.loads(p.read_text())["payload"]["hypotheses_point"])
    entry = json.loads(victim.read_text())
    entry["payload"]["hypotheses_point"] = [[k, "-1000000"]
                                            for k, _ in entry["payload"]["hypotheses_point"]]
    _reseal(entry)
    victim.write_text(json.dumps(entry))
    again = ProofCache(store.directory.parent, Policy())
    assert _run(again)[0] == uncached
    assert again.ignored == 1


def test_the_key_is_what_the_obligation_says_not_what_it_is_called(store):
    ob = next(o for _, o in DEFAULT.chain("lemma_b").obligations())
    form = canonical_form(ob)
    assert canonical_form(replace(ob, id="renamed", text="other words")) == form
    assert canonical_form(replace(ob, claim=~ob.claim)) != form
    assert store.key(form) != store.key(form, {"beta": 1})


def test_the_key_changes_with_the_policy_and_the_solver_versions(monkeypatch):
    base = environment_digest(Policy())
    assert environment_digest(Policy(timeout_ms=1000)) != base
    assert environment_digest(Policy(min_engines=1)) != base
    from importlib import metadata

    real = metadata.version
    monkeypatch.setattr(metadata, "version",
                        lambda d: "9.9" if d == "z3-solver" else real(d))
    assert environment_digest(Policy()) != base


def test_canonical_forms_do_not_depend_on_the_hash_seed():
    code = ("import hashlib; from bebcheck.proofs import DEFAULT\n"
            "from bebcheck.checks.audit.cache import canonical_form\n"
            "h = hashlib.sha256()\n"
            "for n in DEFAULT.names():\n"
            "    for _, o in DEFAULT.chain(n).obligations():\n"
            "        h.update(canonical_form(o).encode())\n"
            "        for s in o.side_obligations():\n"
            "            h.update(canonical_form(s).encode())\n"
            "print(h.hexdigest())")
    digests = {subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                              check=True, timeout=120,
                              env={**os.environ, "PYTHONHASHSEED": seed}).stdout
               for seed in ("1", "2", "3")}
    assert len(digests) == 1


def test_the_environment_turns_the_cache_off_or_moves_it(monkeypatch, tmp_path):
    monkeypatch.setenv(NO_CACHE_ENV, "1")
    assert default_directory() is None
    monkeypatch.setenv(NO_CACHE_ENV, "0")
    monkeypatch.setenv("BEBCHECK_CACHE_DIR", str(tmp_path))
    assert default_directory() == tmp_path


def _cli(args: list[str], cache_dir: Path, **extra: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "BEBCHECK_CACHE_DIR": str(cache_dir), **extra}
    env.pop(NO_CACHE_ENV, None)
    return subprocess.run([sys.executable, "-m", "bebcheck.checks.cli", *args], env=env,
                          capture_output=True, text=True, timeout=300)


def test_the_cli_fills_the_cache_by_default_and_not_with_no_cache(tmp_path):
    off = _cli(["audit", "lemma_b", "--no-cache", "-q"], tmp_path / "off")
    assert off.returncode == 0 and not (tmp_path / "off").exists()
    on = _cli(["audit", "lemma_b", "-v"], tmp_path / "on")
    assert on.returncode == 0 and "0 reused" in on.stderr
    again = _cli(["audit", "lemma_b", "-v"], tmp_path / "on")
    assert "0 checked" in again.stderr and again.stdout == on.stdout


def test_an_unwritable_cache_only_makes_the_audit_slower(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    out = _cli(["audit", "lemma_b", "-v"], blocker)
    assert out.returncode == 0 and "lemma_b: as printed PROVED" in out.stderr


def test_the_key_follows_a_lemmas_side_conditions_not_only_its_conclusion():
    """A parent's entry holds its side obligations' reports: a lemma instance whose side
    conditions changed (same name, mapping and conclusion) must not reuse them."""
    import sympy as sp

    ob = next(o for n in DEFAULT.names() for _, o in DEFAULT.chain(n).obligations()
              if any(f.side_conditions for f in o.facts))
    k, fact = next((k, f) for k, f in enumerate(ob.facts) if f.side_conditions)
    other = replace(fact, side_conditions=tuple(sp.Not(c) for c in fact.side_conditions))
    changed = replace(ob, facts=(*ob.facts[:k], other, *ob.facts[k + 1:]))
    assert canonical_form(changed) != canonical_form(ob)


@pytest.mark.parametrize("module", ["symbolic/lemmas.py", "engines/_smtlib.py", "audit/decide.py"])
def test_the_environment_digest_follows_the_code_that_decides(monkeypatch, module):
    base = environment_digest(Policy())
    real = Path.read_bytes

    def edited(self: Path) -> bytes:
        data = real(self)
        return data + b"# edited" if self.as_posix().endswith(module) else data

    monkeypatch.setattr(Path, "read_bytes", edited)
    assert environment_digest(Policy()) != base


def _report_with(reason: str):
    from bebcheck.checks.audit.results import ObligationReport
    from bebcheck.checks.engines.result import EngineResult, Verdict

    ob = next(o for _, o in DEFAULT.chain("lemma_b").obligations())
    return ObligationReport(ob, Verdict.INCONCLUSIVE, [],
                            [EngineResult("z3", Verdict.INCONCLUSIVE, 0.1, reason)])


@pytest.mark.parametrize(("reason", "kept"), [
    ("timeout: hard time limit 5000 ms exceeded: z3 worker did not answer; killed", False),
    ("crash: z3 worker was killed by signal SIGKILL", False),
    ("error: RuntimeError: out of memory", False),
    ("unknown: cvc5: unknown (TIMEOUT)", False),
    ("unknown: step budget 300000 exhausted", True),
    ("sat: counterexample candidate; needs Arb certification", True),
])
def test_only_answers_that_do_not_depend_on_the_moment_are_stored(store, reason, kept):
    from bebcheck.checks.audit.cache import cacheable

    rep = _report_with(reason)
    assert cacheable(rep) is kept
    store.put("ab" * 32, rep)
    assert (store.directory / "ab" / f"{'ab' * 32}.json").exists() is kept


def test_a_run_whose_solver_crashed_leaves_nothing_wrong_in_the_cache(tmp_path, monkeypatch):
    first = _cli(["audit", "lemma_b", "-q"], tmp_path,
                 BEBCHECK_WORKER_CMD_Z3=str(tmp_path / "no-such-python"))
    assert first.returncode == 1  # z3 could not start: not PROVED by two engines
    again = _cli(["audit", "lemma_b", "-v"], tmp_path)
    assert again.returncode == 0 and "lemma_b: as printed PROVED, repaired PROVED" in again.stderr


@pytest.mark.parametrize("kind", ["fifo", "zero", "huge-number"])
def test_an_entry_that_is_a_pipe_a_device_or_absurd_is_ignored_at_once(store, uncached, kind):
    _run(store)
    victim = _entries(store)[0]
    if kind == "fifo":
        victim.unlink()
        os.mkfifo(victim)
    elif kind == "zero":
        victim.unlink()
        victim.symlink_to("/dev/zero")
    else:
        entry = json.loads(victim.read_text())
        entry["payload"]["results"][0]["seconds"] = 10**400  # float() overflows
        _reseal(entry)
        victim.write_text(json.dumps(entry))
    again = ProofCache(store.directory.parent, Policy())
    assert _run(again)[0] == uncached
    assert again.ignored + again.misses >= 1


def test_two_obligations_whose_side_conditions_differ_through_a_definition_differ():
    """A lemma variable that occurs only in the side conditions, bound by a definition: A's
    side condition holds on (0, 1), B's fails near 0.  One must not pass for the other, in the
    cache or in one run."""
    import sympy as sp

    from bebcheck.checks.engines.result import Verdict
    from bebcheck.symbolic.lemmas import EXISTS_ABOVE_MEAN
    from bebcheck.symbolic.obligation import Obligation
    from bebcheck.symbolic.params import unit_open

    x = unit_open("x")
    m, xs = sp.symbols("m xs", real=True)

    def ob(name, d):
        return Obligation(name, sp.StrictGreaterThan(xs, 0), (x,), definitions=((m, d),),
                          facts=(EXISTS_ABOVE_MEAN.instance(mean=m, b=sp.Integer(0), x_s=xs),))

    a, b = ob("A", x.symbol), ob("B", x.symbol - sp.Rational(1, 4))
    assert canonical_form(a) != canonical_form(b)
    with Checker(Policy()) as ch:
        alone = ch.check(b).verdict
    assert alone is not Verdict.PROVED
    with Checker(Policy()) as ch:
        ch.check(a)
        assert ch.check(b).verdict is alone
