"""The command line end to end: exit codes, text and JSON reports, one-line usage errors."""

from __future__ import annotations

import json
import subprocess
import sys
from fractions import Fraction

import pytest


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "bebcheck.checks.cli", *args],
                          capture_output=True, text=True, timeout=600)


def test_audit_lemma_d_text_reports_the_refuted_step_and_exits_zero():
    p = run("audit", "lemma_d")
    assert p.returncode == 0, p.stderr
    assert "REFUTED  D.4" in p.stdout
    assert "repair D.4r [PROVED]" in p.stdout
    line = next(x for x in p.stdout.splitlines() if "witness (D.4/equality):" in x)
    vals = dict(kv.split("=") for kv in line.split(":", 1)[1].replace(" ", "").split(","))
    assert Fraction(vals["Lp"]) > Fraction(vals["S"])  # the hypothesis holds, the equality not


def test_audit_json_has_every_field_for_every_step(tmp_path):
    out = tmp_path / "r.json"
    p = run("audit", "lemma_d", "--format", "json", "-o", str(out))
    assert p.returncode == 0, p.stderr
    doc = json.loads(out.read_text())
    assert doc["ok"] is True
    steps = doc["results"][0]["steps"]
    for s in steps:
        for key in ("id", "result", "location", "quote", "verdict", "seconds"):
            assert key in s
        for o in s["obligations"]:
            assert o["claim_latex"] and "(check-sat)" in o["claim_smtlib2"]
            assert o["verdict"] in {"PROVED", "REFUTED", "INCONCLUSIVE"}
    refuted = [o for s in steps for o in s["obligations"] if o["verdict"] == "REFUTED"]
    assert refuted and all(o["witness"]["values"] for o in refuted)


def test_unknown_result_is_one_line_and_exit_2():
    p = run("audit", "theorem9")
    assert p.returncode == 2
    assert p.stderr.count("\n") == 1 and "unknown result" in p.stderr
    assert "Traceback" not in p.stderr


def test_bad_flag_is_one_line_and_exit_2():
    p = run("audit", "--timeout-ms", "-5")
    assert p.returncode == 2
    assert p.stderr.count("\n") == 1 and "Traceback" not in p.stderr


def test_unwritable_output_is_one_line_and_exit_2(tmp_path):
    p = run("audit", "lemma_b", "-o", str(tmp_path / "no" / "such" / "dir" / "r.txt"))
    assert p.returncode == 2
    assert p.stderr.count("\n") == 1 and "Traceback" not in p.stderr


def test_strict_policy_that_cannot_be_met_exits_1():
    p = run("audit", "lemma_b", "--min-engines", "4")
    assert p.returncode == 1
    assert "NOT proved" in p.stdout


def test_errata_json_lists_every_finding_with_evidence_and_correction(tmp_path):
    out = tmp_path / "errata.json"
    p = run("errata", "--format", "json", "-o", str(out))
    assert p.returncode == 0, p.stderr
    doc = json.loads(out.read_text())
    assert doc["count"] == len(doc["errata"]) >= 30
    for e in doc["errata"]:
        assert e["severity"] in {"typo", "constant off", "invalid step", "unsupported claim"}
        assert e["location"] and e["quote"] and e["corrections"]
        assert all(c["verdict"] == "PROVED" for c in e["corrections"])
        if e["refuted_by"] == "witness":
            assert e["witnesses"] and all(w["values"] and w["certified"] for w in e["witnesses"])
        else:
            assert e["proofs"]


def test_a_rejected_audit_leaves_an_existing_report_as_it_was(tmp_path):
    out = tmp_path / "r.json"
    out.write_text("old report\n")
    p = run("audit", "theorem9", "-o", str(out))
    assert p.returncode == 2
    assert len(p.stderr.strip().splitlines()) == 1
    assert out.read_text() == "old report\n"
    assert sorted(x.name for x in tmp_path.iterdir()) == ["r.json"]  # no temporary left


def test_a_failed_write_keeps_the_old_file_and_leaves_no_temporary(tmp_path):
    import pytest

    from bebcheck.checks.cli.common import atomic_path, write_output

    target = tmp_path / "sheet.md"
    target.write_text("old\n")

    def interrupted_write() -> None:
        with atomic_path(target) as tmp:
            with open(tmp, "w") as fh:
                fh.write("half a sheet")
            raise RuntimeError("interrupted")

    with pytest.raises(RuntimeError):
        interrupted_write()
    assert target.read_text() == "old\n"
    assert [x.name for x in tmp_path.iterdir()] == ["sheet.md"]
    write_output("new\n", str(target))
    assert target.read_text() == "new\n"
    assert [x.name for x in tmp_path.iterdir()] == ["sheet.md"]


def test_a_csv_grid_replaces_the_file_whole(tmp_path):
    out = tmp_path / "grid.csv"
    out.write_text("old\n")
    p = run("bound", "theorem1", "--alpha", "1e-3:1e-1:4log", "--beta", "0.5", "--gamma", "-0.5",
            "--eps", "0.1", "--csv", str(out))
    assert p.returncode == 0, p.stderr
    rows = out.read_text().splitlines()
    assert rows[0].startswith("alpha,") and len(rows) == 5
    assert [x.name for x in tmp_path.iterdir()] == ["grid.csv"]


@pytest.mark.parametrize("argv", [["--help"], ["--version"], ["-h"]])
def test_help_and_version_start_without_sympy_or_the_solvers(argv):
    code = ("import sys; from bebcheck.checks.cli import main\n"
            f"code = main({argv!r})\n"
            "heavy = sorted(m for m in ('sympy', 'z3', 'cvc5', 'flint', 'numpy', 'mpmath')\n"
            "               if m in sys.modules)\n"
            "print(code, heavy, file=sys.stderr)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         timeout=60, check=True)
    assert out.stderr.strip() == "0 []"
    assert out.stdout.startswith(("usage: bebcheck", "bebcheck "))
