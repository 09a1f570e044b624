"""``bebcheck bound`` and ``bebcheck plot`` through a throwaway parser and ``python -m``."""

from __future__ import annotations

import argparse
import csv
import io
import json
import subprocess
import sys
from fractions import Fraction
from typing import NoReturn

import pytest

from bebcheck.checks.cli.bound import register
from bebcheck.checks.numeric import oracle
from bebcheck.proofs.beb_v1.bounds import BOUNDS
from bebcheck.proofs.beb_v1.params import USER_PARAMS
from bebcheck.symbolic.errors import InputError

__all__: list[str] = []


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise SystemExit(2)


def _parse(*argv: str) -> argparse.Namespace:
    p = _Parser(prog="bebcheck")
    register(p.add_subparsers(dest="cmd", required=True, parser_class=_Parser))
    return p.parse_args(list(argv))


def _run(capsys, *argv: str) -> tuple[int, str]:
    args = _parse(*argv)
    rc = args.handler(args)
    return rc, capsys.readouterr().out


POINT = ("--alpha", "0.01", "--beta", "0.1", "--gamma", "-0.5", "--eps", "0.1")


def test_single_point_prints_length_dominant_term_and_paper_length(capsys):
    rc, out = _run(capsys, "bound", "theorem1", *POINT)
    assert rc == 0
    assert "length (repaired): 73 sentences" in out
    assert "dominant term (repaired): log((1-alpha)/alpha)/beta" in out
    assert "length (paper as printed): 63 sentences" in out
    rc, out = _run(capsys, "bound", "theorem1", *POINT, "--paper")
    assert out.index("paper as printed): 63") < out.index("repaired): 73")


def test_single_point_is_exact_at_the_decimals_typed(capsys):
    # c/beta = 10 exactly for 1/0.1; the binary64 0.1 gives 9.99...: a note tells the difference
    rc, out = _run(capsys, "bound", "theorem3", *POINT, "--c", "1")
    assert rc == 0
    exact = {"alpha": "0.01", "beta": "0.1", "gamma": "-0.5", "eps": "0.1", "c": "1"}
    assert f"length (repaired): {oracle.length('theorem3', exact)} sentences" in out
    assert "note: at the binary64 values" in out


def test_extreme_point_prints_the_exact_integer(capsys):
    pt = {"alpha": "1e-300", "beta": "1e-12", "gamma": "-0.5", "eps": "1e-300", "phi": "1e12"}
    rc, out = _run(capsys, "bound", "theorem4", *(x for k, v in pt.items() for x in (f"--{k}", v)))
    n = oracle.length("theorem4", pt)
    assert rc == 0
    assert n > 2**53
    assert f"length (repaired): {n} sentences" in out


def test_ranges_give_a_csv_grid_with_both_lengths(capsys, tmp_path):
    rc, out = _run(capsys, "bound", "theorem2", "--alpha", "1e-12:1e-2:5log", "--beta",
                   "0.1:1:3lin", "--gamma=-0.5", "--eps", "0.1", "--s0", "0:20:3lin")
    assert rc == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert len(rows) == 5 * 3 * 3
    assert set(rows[0]) >= {"alpha", "beta", "s0", "threshold", "length", "paper_threshold",
                            "paper_length", "dominant_term"}
    for r in rows[::7]:
        pt = {k: float(r[k]) for k in ("alpha", "beta", "gamma", "eps", "c", "s0")}
        assert int(r["length"]) == oracle.length("theorem2", pt)
        assert int(r["paper_length"]) == oracle.length("theorem2", pt, paper=True)
    f = tmp_path / "grid.csv"
    rc, out = _run(capsys, "bound", "theorem1", *POINT[:2], "--beta", "1e-3:1:4log",
                   *POINT[4:], "--csv", str(f))
    assert rc == 0
    assert "wrote 4 rows" in out
    assert len(f.read_text().splitlines()) == 5


@pytest.mark.parametrize(("argv", "match"), [
    (("--alpha", "1.5"), "alpha must be in"),
    (("--alpha", "nan"), "alpha must be a finite number"),
    (("--eps", "inf"), "eps must be a finite number"),
    (("--beta", "0"), "beta must be > 0"),
    (("--gamma", "0.2"), "gamma must be in"),
    (("--alpha", "abc"), "alpha: not a number"),
    (("--alpha", "1:2:3"), "alpha: a range is"),
    (("--alpha", "0:0.5:4log"), "alpha: a log range"),
    (("--alpha", "0.1:1.5:4lin"), "alpha must be in"),
    (("--phi", "0.5"), "phi must be an integer"),
])
def test_bad_values_raise_input_error(argv, match):
    args = _parse("bound", "theorem1", *POINT, *argv)
    with pytest.raises(InputError, match=match):
        args.handler(args)


def test_unknown_result_and_missing_parameter():
    args = _parse("bound", "theorem9", *POINT)
    with pytest.raises(InputError, match="theorem9"):
        args.handler(args)
    args = _parse("bound", "theorem1", "--alpha", "0.1", "--beta", "1", "--gamma", "-0.5")
    with pytest.raises(InputError, match="needs --eps"):
        args.handler(args)


def test_plot_writes_the_figures(capsys, tmp_path):
    rc, out = _run(capsys, "plot", "--out", str(tmp_path / "figs"), "--format", "png", "svg")
    assert rc == 0
    assert out.count("wrote ") == 6
    names = {p.name for p in (tmp_path / "figs").iterdir()}
    for stem in ("theorem1_length_vs_alpha", "paper_vs_repaired", "theorem4_terms"):
        assert {f"{stem}.png", f"{stem}.svg"} <= names
    (tmp_path / "file").write_text("x")
    args = _parse("plot", "--out", str(tmp_path / "file"))
    with pytest.raises(InputError, match="not a directory"):
        args.handler(args)


def test_module_entry_one_line_errors_exit_2():
    def run(*argv: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "bebcheck.checks.cli", *argv],
                              capture_output=True, text=True, timeout=120)

    p = run("bound", "theorem1", *POINT)
    assert p.returncode == 0
    assert "73 sentences" in p.stdout
    for argv in (("bound", "theorem1", *POINT, "--alpha", "2"),
                 ("bound", "theorem1", *POINT, "--alpha", "nan"),
                 ("bound", "theorem1", "--bogus", "1"),
                 ("plot", "--format", "gif")):
        p = run(*argv)
        assert p.returncode == 2, argv
        assert p.stderr.startswith("bebcheck: error: "), p.stderr
        assert p.stderr.count("\n") == 1, p.stderr
        assert "Traceback" not in p.stderr


def test_huge_and_tiny_exact_inputs_never_give_a_traceback():
    import subprocess
    import sys

    def run(*a):
        return subprocess.run([sys.executable, "-m", "bebcheck.checks.cli", "bound", *a],
                              capture_output=True, text=True, timeout=120)

    base = ["theorem1", "--alpha", "1e-3", "--gamma=-0.5", "--eps", "0.1"]
    for beta in ("1e-310", "1e-1000"):
        p = run(*base, "--beta", beta)
        assert p.returncode == 0, p.stderr
        assert "Traceback" not in p.stderr, p.stderr
    for bad in (["--beta", "1e400:1e401:2log"], ["--beta", "0_1"], ["--beta", "1e-1001"]):
        p = run(*base, *bad)
        assert p.returncode == 2, p.stderr
        assert p.stderr.count("\n") == 1, p.stderr
    p = run("theorem2", "--alpha", "1e-3", "--beta", "0.1", "--gamma=-0.5", "--eps", "0.1",
            "--s0", "0.4:0.4:1lin")
    assert p.returncode == 2
    assert "integer" in p.stderr


def test_reply_sentences_raise_theorem3_repaired_length_only(capsys):
    rc, out = _run(capsys, "bound", "theorem3", *POINT, "--c", "2", "--reply", "1:3:3lin")
    assert rc == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [int(r["reply"]) for r in rows] == [1, 2, 3]
    lengths = [int(r["length"]) for r in rows]
    assert lengths == sorted(lengths)
    assert lengths[0] < lengths[-1]
    assert len({r["paper_length"] for r in rows}) == 1  # the printed length has no replies
    for r in rows:
        pt = {k: float(r[k]) for k in ("alpha", "beta", "gamma", "eps", "c", "reply")}
        assert int(r["length"]) == oracle.length("theorem3", pt)


def test_reply_zero_is_one_line_and_exit_2():
    p = subprocess.run([sys.executable, "-m", "bebcheck.checks.cli", "bound", "theorem3",
                        *POINT, "--reply", "0"], capture_output=True, text=True, timeout=120)
    assert p.returncode == 2
    assert p.stderr.count("\n") == 1
    assert "reply must be an integer >= 1" in p.stderr
    assert "Traceback" not in p.stderr


def test_dominant_term_is_printed_by_its_declared_label(capsys):
    rc, out = _run(capsys, "bound", "theorem4", *POINT, "--c", "0.3", "--phi", "1000")
    label = BOUNDS["theorem4"].term("personas").label
    assert rc == 0
    assert f"dominant term (repaired): {label} = " in out
    rc, out = _run(capsys, "bound", "theorem4", *POINT, "--beta", "1e-3:10:7log", "--c", "0.2",
                   "--phi", "10")
    dominant = [r["dominant_term"] for r in csv.DictReader(io.StringIO(out))]
    assert set(dominant) == {t.label for t in BOUNDS["theorem4"].terms}


def test_help_comes_from_the_declared_parameters(capsys):
    with pytest.raises(SystemExit) as done:
        _parse("bound", "--help")
    assert done.value.code == 0
    out = " ".join(capsys.readouterr().out.split())  # argparse wraps lines
    for name, p in USER_PARAMS.items():
        assert f"--{name}" in out
        assert p.meaning in out
        if p.default is not None:
            assert f"(default {p.default})" in out
    assert "used by theorem4" in out  # phi


# ---------------------------------------------------------------------------------------------
# --best and --turn


T4 = (*POINT, "--c", "0.2", "--phi", "10")


def test_best_prints_the_best_length_and_its_ratio_to_the_repaired_one(capsys):
    rc, out = _run(capsys, "bound", "theorem4", *T4, "--best")
    exact = {"alpha": "0.01", "beta": "0.1", "gamma": "-0.5", "eps": "0.1", "c": "0.2",
             "phi": "10"}
    best, rep = oracle.length("theorem4", exact, best=True), oracle.length("theorem4", exact)
    assert rc == 0
    assert best < rep
    assert f"length (best the proof allows): {best} sentences" in out
    assert f"best / repaired: {best / rep:.4g} ({best} / {rep})" in out
    assert f"length (repaired): {rep} sentences" in out
    assert "s0=0 (default)" in out  # the best length allows an initial prompt
    rc, out = _run(capsys, "bound", "theorem1", *POINT, "--best")
    assert "best / repaired: 1 (73 / 73)" in out  # no free choice left


def test_turn_gives_theorem3s_total_for_a_per_turn_length(capsys):
    rc, out = _run(capsys, "bound", "theorem3", *POINT, "--c", "1", "--turn", "40")
    exact = {"alpha": "0.01", "beta": "0.1", "gamma": "-0.5", "eps": "0.1", "c": "1"}
    total = oracle.length("theorem3", {**exact, "turn": 40}, best=True)
    assert rc == 0
    assert "turn=40" in out
    assert f"length (best the proof allows): {total} sentences" in out
    assert f"length (repaired): {oracle.length('theorem3', exact)} sentences" in out
    rc, out = _run(capsys, "bound", "theorem1", *POINT, "--turn", "5")
    assert "(not used by theorem1: turn)" in out
    assert "best" not in out


def test_turn_that_gains_nothing_is_one_line_and_exit_2():
    p = subprocess.run([sys.executable, "-m", "bebcheck.checks.cli", "bound", "theorem3",
                        *POINT, "--c", "1", "--turn", "10"],  # 10 * 0.1 = c: no gain
                       capture_output=True, text=True, timeout=120)
    assert p.returncode == 2
    assert p.stderr.count("\n") == 1
    assert "beta L > A c" in p.stderr
    assert "Traceback" not in p.stderr


def test_best_grid_has_the_best_columns(capsys):
    rc, out = _run(capsys, "bound", "theorem3", *POINT, "--c", "1", "--turn", "12:92:5lin")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert rc == 0
    assert [int(r["turn"]) for r in rows] == [12, 32, 52, 72, 92]
    totals = [int(r["best_length"]) for r in rows]
    assert totals == sorted(totals, reverse=True)  # longer turns, fewer sentences in all
    for r in rows:
        pt = {k: float(r[k]) for k in ("alpha", "beta", "gamma", "eps", "c", "reply", "turn")}
        assert int(r["best_length"]) == oracle.length("theorem3", pt, best=True)
        assert float(r["best_over_repaired"]) == int(r["best_length"]) / int(r["length"])
    rc, out = _run(capsys, "bound", "theorem4", *T4[:2], "--beta", "0.01:1:3log", *T4[4:],
                   "--best", "--format", "json")
    doc = json.loads(out)
    assert all(row["best_length"] <= row["length"] for row in doc["rows"])
    assert {"best_threshold", "best_over_repaired", "s0"} <= set(doc["rows"][0])


def test_best_single_point_json_is_exact(capsys):
    rc, out = _run(capsys, "bound", "proposition1", *POINT[:6], "--c", "0.2", "--s0", "500",
                   "--best", "--format", "json")
    doc = json.loads(out)
    assert rc == 0
    assert doc["best"]["length"] == doc["repaired"]["length"]  # no free choice left
    assert doc["best"]["over_repaired"] == "1"
    rc, out = _run(capsys, "bound", "theorem4", *T4, "--best", "--format", "json")
    doc = json.loads(out)
    best, rep = doc["best"]["length"], doc["repaired"]["length"]
    assert Fraction(doc["best"]["over_repaired"]) == Fraction(best, rep)
    assert doc["inputs"]["s0"] == "0" and "s0" in doc["defaulted"]


def test_help_names_best_and_turn(capsys):
    with pytest.raises(SystemExit):
        _parse("bound", "--help")
    out = " ".join(capsys.readouterr().out.split())
    assert "--best" in out and "--turn" in out
    assert "used by theorem3 --best" in out  # turn
