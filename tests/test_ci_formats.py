"""What CI and reviewers run: report formats from the CLI, bound as JSON/CSV, quiet, verbose, progress."""

from __future__ import annotations

import csv
import io
import json
import os
import pty
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest


def _cli(*args: str, stderr: int | None = subprocess.PIPE, cwd: Path | None = None,
         ) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "bebcheck.checks.cli", *args], cwd=cwd,
                          stdout=subprocess.PIPE, stderr=stderr, text=True, timeout=600)


def test_audit_writes_junit_that_is_green_exactly_when_it_exits_zero():
    out = _cli("audit", "lemma_d", "--format", "junit")
    root = ET.fromstring(out.stdout)
    assert out.returncode == 0 and root.get("failures") == "0"
    assert int(root.get("tests")) > 0 and root.find("testsuite").get("name") == "lemma_d"
    strict = _cli("audit", "lemma_d", "--format", "junit", "--min-engines", "4")
    failed = int(ET.fromstring(strict.stdout).get("failures"))
    assert strict.returncode == 1 and failed > 0


def test_sarif_of_one_result_points_into_the_whole_errata_sheet():
    out = _cli("audit", "lemma_d", "--format", "sarif")
    doc = json.loads(out.stdout)
    results = doc["runs"][0]["results"]
    assert out.returncode == 0 and results
    assert {r["properties"]["result"] for r in results} == {"lemma_d"}
    sheet = (Path(__file__).parent.parent / "docs" / "errata.md").read_text().splitlines()
    for r in results:
        loc = r["locations"][0]["physicalLocation"]
        line = sheet[loc["region"]["startLine"] - 1]
        assert r["properties"]["stepId"].rstrip("r") in line


def test_report_writes_every_named_format_once_and_exits_like_audit(tmp_path):
    files = {f: tmp_path / f"r.{f}" for f in ("html", "sarif", "junit", "json")}
    out = _cli("report", "lemma_b", *(x for f, p in files.items() for x in (f"--{f}", str(p))))
    assert out.returncode == 0 and out.stdout == ""
    assert files["html"].read_text().startswith("<!DOCTYPE html>")
    assert json.loads(files["sarif"].read_text())["version"] == "2.1.0"
    assert ET.parse(files["junit"]).getroot().tag == "testsuites"
    assert json.loads(files["json"].read_text())["results"][0]["result"] == "lemma_b"


def test_report_without_a_file_is_a_usage_error_and_writes_nothing(tmp_path):
    out = _cli("report", "lemma_b", cwd=tmp_path)
    assert out.returncode == 2 and out.stderr.count("\n") == 1
    assert "--html FILE" in out.stderr and list(tmp_path.iterdir()) == []


def test_quiet_prints_nothing_but_keeps_the_exit_status_and_the_file(tmp_path):
    out = _cli("audit", "lemma_b", "-q")
    assert (out.returncode, out.stdout, out.stderr) == (0, "", "")
    target = tmp_path / "a.json"
    assert _cli("audit", "lemma_b", "-q", "--format", "json", "-o", str(target)).returncode == 0
    assert json.loads(target.read_text())["ok"] is True


def test_verbose_says_what_ran_on_standard_error_only():
    quiet, loud = _cli("audit", "lemma_b"), _cli("audit", "lemma_b", "-v")
    assert loud.stdout == quiet.stdout
    assert "lemma_b: as printed PROVED, repaired PROVED" in loud.stderr
    assert "proof cache: off" in loud.stderr  # the suite turns the cache off


def test_no_progress_bar_unless_standard_error_is_a_terminal():
    out = _cli("audit", "lemma_b")
    assert out.stderr == ""
    leader, follower = pty.openpty()
    try:
        done = _cli("audit", "lemma_b", stderr=follower)
        os.close(follower)
        follower = -1
        seen = b""
        while True:
            try:
                chunk = os.read(leader, 1 << 16)
            except OSError:
                break
            if not chunk:
                break
            seen += chunk
    finally:
        os.close(leader)
        if follower >= 0:
            os.close(follower)
    assert done.returncode == 0 and b"obligation" in seen  # tqdm's bar, on the terminal
    assert done.stdout == out.stdout


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_bound_gives_one_point_as_json_or_csv_with_the_text_reports_lengths(fmt):
    point = ["--alpha", "0.01", "--beta", "0.5", "--gamma", "-0.5", "--eps", "0.1"]
    text = _cli("bound", "theorem1", *point).stdout
    out = _cli("bound", "theorem1", *point, "--format", fmt)
    assert out.returncode == 0
    if fmt == "json":
        doc = json.loads(out.stdout)
        rep, pap = doc["repaired"]["length"], doc["paper"]["length"]
        assert doc["inputs"]["alpha"] == "1/100"
    else:
        (row,) = list(csv.DictReader(io.StringIO(out.stdout)))
        rep, pap = int(row["length"]), int(row["paper_length"])
    assert f"(repaired): {rep} sentences" in text and f"(paper as printed): {pap} sentences" in text


def test_bound_gives_a_grid_as_json_rows_equal_to_its_csv():
    grid = ["--alpha", "0.01", "--beta", "0.1:1:4lin", "--gamma", "-0.5", "--eps", "0.1"]
    rows = json.loads(_cli("bound", "theorem1", *grid, "--format", "json").stdout)["rows"]
    table = list(csv.DictReader(io.StringIO(_cli("bound", "theorem1", *grid).stdout)))
    assert len(rows) == len(table) == 4
    assert [r["length"] for r in rows] == [int(t["length"]) for t in table]
    assert [r["paper_length"] for r in rows] == [int(t["paper_length"]) for t in table]


def test_sarif_lines_follow_the_committed_sheet_even_when_this_run_finds_otherwise():
    root = Path(__file__).parent.parent
    sheet = (root / "docs" / "errata.md").read_text().splitlines()
    out = _cli("audit", "lemma_d", "proposition1", "--format", "sarif", "--min-engines", "4",
               cwd=root)
    located = 0
    for r in json.loads(out.stdout)["runs"][0]["results"]:
        region = r["locations"][0]["physicalLocation"].get("region")
        if region is None:
            continue
        located += 1
        heading = sheet[region["startLine"] - 1]
        assert heading.startswith(f"## {r['properties']['stepId'].rstrip('r')} ")
    assert located > 0


def test_report_writes_every_file_or_none_and_refuses_one_file_twice(tmp_path):
    old = tmp_path / "old.sarif"
    old.write_text("OLD")
    failed = _cli("report", "lemma_b", "--json", str(tmp_path / "new.json"),
                  "--sarif", str(old), "--text", "/dev/full")
    assert failed.returncode == 2 and failed.stderr.count("\n") == 1
    assert old.read_text() == "OLD" and not (tmp_path / "new.json").exists()
    same = _cli("report", "lemma_b", "--json", str(tmp_path / "a"), "--sarif",
                str(tmp_path / "." / "a"))
    assert same.returncode == 2 and "name the same file" in same.stderr
