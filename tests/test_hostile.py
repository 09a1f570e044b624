"""Hostile input to ``bebcheck``: never a traceback, a hang, a lost file or a two-line rejection."""

# Bad numbers, names and options; closed, full and broken streams; foreign encodings; signals;
# unwritable and contended outputs.  Every rejection must be exit 2 with one line starting
# ``bebcheck: error:``.  Argument validation runs in-process through ``main`` (the same code
# path, milliseconds a case); streams, signals, the environment and files run the installed
# console script in a subprocess, as a user would, each under a timeout.

from __future__ import annotations

import contextlib
import csv
import glob
import io
import os
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from bebcheck.checks.cli import main
from bebcheck.checks.cli.bound import MAX_DIGITS, MAX_EXP10, MAX_GRID
from bebcheck.checks.cli.common import MAX_TIMEOUT_MS, bounded_int, parse_int
from bebcheck.checks.cli.simulate import MAX_MODELS, MAX_SEED
from bebcheck.checks.cli.streams import one_line
from bebcheck.checks.engines.registry import REGISTRY

__all__: list[str] = []

BEBCHECK = (shutil.which("bebcheck", path=str(Path(sys.executable).parent))
            or shutil.which("bebcheck") or "bebcheck")
POINT = {"alpha": "0.01", "beta": "0.1", "gamma": "-0.5", "eps": "0.1", "c": "1", "s0": "2",
         "phi": "10", "reply": "1"}
PARAMS = tuple(POINT)


def bound_argv(result: str = "theorem3", **values: str) -> list[str]:
    """``bound RESULT`` with every parameter (theorem3 and theorem4 use them all but one), the
    given ones replaced; ``--name=value`` so that values starting with ``-`` are values."""
    return ["bound", result, *(f"--{k}={v}" for k, v in {**POINT, **values}.items())]


# ---------------------------------------------------------------------------------------------
# running it


def cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """``bebcheck ARGV`` in this process: exit status, stdout, stderr."""
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def assert_one_error(code: int, out: str | bytes, err: str | bytes, *needles: str) -> None:
    """Exit 2, nothing on stdout, one line on stderr that starts ``bebcheck: error:``."""
    if isinstance(err, bytes):
        err = err.decode("utf-8", "backslashreplace")
    assert code == 2, (code, err)
    assert err.startswith("bebcheck: error: ") and err.count("\n") == 1 and err.endswith("\n"), err
    assert "Traceback" not in err
    assert not out, out
    for n in needles:
        assert n in err, (n, err)


def rejects(capsys: pytest.CaptureFixture[str], argv: list[str], *needles: str) -> None:
    assert_one_error(*cli(capsys, *argv), *needles)


def run(*argv: str | bytes | os.PathLike[str], env: dict[str, str | None] | None = None,
        timeout: float = 120, **kw: object) -> subprocess.CompletedProcess[bytes]:
    """The installed ``bebcheck`` script with real streams; ``env`` entries set (None: unset)."""
    e = dict(os.environ)
    for k, v in (env or {}).items():
        if v is None:
            e.pop(k, None)
        else:
            e[k] = v
    kw.setdefault("stdin", subprocess.DEVNULL)
    kw.setdefault("stdout", subprocess.PIPE)
    kw.setdefault("stderr", subprocess.PIPE)
    return subprocess.run([BEBCHECK, *argv], env=e, timeout=timeout, check=False,
                          **kw)  # type: ignore[call-overload]


def assert_rejected(p: subprocess.CompletedProcess[bytes], *needles: str) -> None:
    assert_one_error(p.returncode, p.stdout, p.stderr, *needles)


def assert_clean(p: subprocess.CompletedProcess[bytes], code: int = 0) -> None:
    """Exit ``code`` and not a word on stderr (no warning, no traceback)."""
    assert p.returncode == code, (p.returncode, p.stderr)
    assert p.stderr == b"", p.stderr


def closing(*fds: int) -> Callable[[], None]:
    """A ``preexec_fn`` that closes ``fds`` in the child: ``bebcheck >&-``."""

    def close() -> None:
        for fd in fds:
            os.close(fd)

    return close


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith(".bebcheck-"))


@pytest.fixture
def unwritable_dir(tmp_path: Path) -> Iterator[Path]:
    """A directory in which no file can be made: mode 0555, or for root (who ignores modes)
    a read-only system directory."""
    if os.geteuid() != 0:
        d = tmp_path / "read-only"
        d.mkdir()
        d.chmod(0o555)
        yield d
        d.chmod(0o755)
        return
    for cand in ("/sys", "/proc"):
        try:
            fd, name = tempfile.mkstemp(dir=cand)
        except OSError:
            yield Path(cand)
            return
        os.close(fd)
        os.unlink(name)
    pytest.skip("no unwritable directory for root here")


# ---------------------------------------------------------------------------------------------
# bad numbers, for every parameter of bound (in-process)

CORE_BAD = ["nan", "-inf", "1e-1000000", "1e99999999", "1e1001", "0x10", "1_0", "", "١",
            "１", "9" * (MAX_DIGITS + 1)]
"""NaN, infinity, exponents past the limit (the first two once hung), hex, underscores, empty,
Arabic-Indic and fullwidth digits, too many digits."""

MORE_BAD = ["NaN", "+nan", "inf", "+Infinity", "infinity", "1e-99999999", "-1e99999999",
            "1e-1001", "-1e1001", "1e+999999999999999999999", "1e-" + "9" * 5000, "0X1p-3",
            "0b101", "0o17", "0_1", "1_000", " ", "\t", "١٠", "½", "²", "𝟏", "٣.٥", "1e", "e5",
            ".", "+", "-", "--1", "1.2.3", "1e5.5", "1,5", "1/0", "0/0", "1//2", "1/-2", "1/2/3",
            "abc", "one", "0." + "1" * (MAX_DIGITS + 1), "1/" + "3" * (MAX_DIGITS + 1),
            "5\n6", "1\x00", "1 2", "0.1 ", "\u00a0"]
"""Further bad numbers, tried on alpha (all parameters share one reader)."""


@pytest.mark.parametrize("param", PARAMS)
@pytest.mark.parametrize("bad", CORE_BAD, ids=ascii)
def test_a_bad_number_for_any_parameter_is_one_line_and_exit_2(capsys, param, bad):
    rejects(capsys, bound_argv("theorem3" if param != "phi" else "theorem4", **{param: bad}),
            param)


@pytest.mark.parametrize("bad", [b for b in MORE_BAD if b != "0.1 "], ids=ascii)
def test_more_bad_numbers_are_one_line_and_exit_2(capsys, bad):
    rejects(capsys, bound_argv(alpha=bad), "alpha")


def test_surrounding_spaces_are_not_a_bad_number(capsys):
    code, out, err = cli(capsys, *bound_argv(alpha=" 0.01 "))
    assert code == 0 and err == ""
    assert "alpha=0.01" in out


@pytest.mark.parametrize(("param", "bad"), [
    ("alpha", "0"), ("alpha", "1"), ("alpha", "-0.5"), ("alpha", "1.5"), ("alpha", "1/1"),
    ("beta", "0"), ("beta", "-1"), ("beta", "-1e-1000"), ("gamma", "0"), ("gamma", "0.5"),
    ("gamma", "-1.5"), ("eps", "0"), ("eps", "-0.1"), ("c", "-1"), ("s0", "-1"),
    ("s0", "0.5"), ("phi", "0"), ("phi", "1.5"), ("phi", "-2"), ("reply", "0"), ("reply", "-1"),
    ("reply", "2.5"),
])
def test_a_value_outside_the_domain_is_one_line_and_exit_2(capsys, param, bad):
    rejects(capsys, bound_argv("theorem3" if param != "phi" else "theorem4", **{param: bad}),
            param)


@pytest.mark.parametrize(("param", "rng", "needle"), [
    ("alpha", "0.1:0.2", "a range is"), ("alpha", "0.1:0.2:3", "a range is"),
    ("alpha", "0.1:0.2:0lin", "1 to 1000000"), ("alpha", f"0.1:0.2:{MAX_GRID + 1}lin", "1 to"),
    ("alpha", "0.1:0.2:" + "9" * 30 + "lin", "1 to"), ("alpha", "0:0.5:4log", "log range"),
    ("gamma", "-0.5:0.5:3log", "gamma"), ("alpha", "0.1:1.5:4lin", "alpha must be in"),
    ("alpha", "a:b:3lin", "not a number"), ("alpha", "1e-400:0.5:3lin", "binary64"),
    ("beta", "1e400:1e401:2log", "binary64"), ("alpha", "nan:0.5:3lin", "finite"),
    ("alpha", ":0.5:3lin", "alpha"), ("alpha", "0.1:0.2:3log:4", "a range is"),
    ("alpha", "0.1:0.2:٣lin", "a range is"), ("alpha", "0.1:0.2:3LOG", "a range is"),
    ("s0", "0.4:0.4:1lin", "integer"), ("phi", "1:2:3lin", "integer"),
    ("beta", "1e-1000000:1:3log", "out of range"), ("eps", "0.1:1e99999999:3log", "range"),
])
def test_a_bad_range_is_one_line_and_exit_2(capsys, param, rng, needle):
    rejects(capsys, bound_argv("theorem4" if param == "phi" else "theorem3", **{param: rng}),
            needle)


def test_a_grid_over_the_row_limit_is_rejected_before_any_work(capsys, tmp_path):
    out = tmp_path / "grid.csv"
    argv = bound_argv("theorem1", alpha="1e-9:0.4:1000log", beta=f"0.1:1:{MAX_GRID // 1000 + 1}lin")
    rejects(capsys, [*argv, "--csv", str(out)], "the grid has", str(MAX_GRID))
    assert not out.exists() and list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(("param", "value"), [("alpha", "1e-400"), ("beta", "1e400"),
                                              ("eps", "1e-1000")])
def test_a_value_outside_binary64_in_a_grid_is_one_line_and_exit_2(capsys, tmp_path, param,
                                                                   value):
    rejects(capsys, [*bound_argv("theorem1", **{param: value}), "--csv", str(tmp_path / "g.csv")],
            "outside binary64")
    rejects(capsys, bound_argv("theorem2", **{param: value}, c="0.5:1:2lin"), "outside binary64")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("values", [
    {"alpha": f"1e-{MAX_EXP10}", "beta": f"1e-{MAX_EXP10}", "eps": f"1e-{MAX_EXP10}",
     "c": f"1e{MAX_EXP10}", "s0": f"1e{MAX_EXP10}", "reply": f"1e{MAX_EXP10}"},
    {"beta": f"1e{MAX_EXP10}", "eps": f"1e{MAX_EXP10}", "gamma": f"-1e-{MAX_EXP10}",
     "c": f"1e-{MAX_EXP10}", "phi": f"1e{MAX_EXP10}"},
    {"alpha": "0." + "9" * (MAX_DIGITS - 1), "beta": "1/" + "7" * MAX_DIGITS},
], ids=["tiny", "huge", "many-digits"])
@pytest.mark.parametrize("result", ["theorem1", "theorem2", "theorem3", "theorem4",
                                    "proposition1"])
def test_the_extremes_within_the_limits_are_answered_quickly(capsys, result, values):
    t0 = time.perf_counter()
    code, out, err = cli(capsys, *bound_argv(result, **values))
    assert (code, err) == (0, "")
    assert time.perf_counter() - t0 < 10
    assert f"{result}: " in out


# ---------------------------------------------------------------------------------------------
# unknown names, options and over-limit values of every subcommand (in-process)


@pytest.mark.parametrize("argv", [
    [], ["nosuch"], ["--nosuch"], ["-x"], ["audit", "--nosuch"], ["results", "extra"],
    ["results", "--format", "json"], ["bound"], ["bound", "theorem9", "--alpha", "0.1"],
    ["bound", "lemma_b", "--alpha", "0.1"], ["bound", "", "--alpha", "0.1"],
    ["bound", "theorem1\n", "--alpha=0.1", "--beta=1", "--gamma=-0.5"],
    ["bound", "theorem1", "--alpha", "0.1", "--beta", "1", "--gamma=-0.5"],
    ["bound", "theorem1", "--alpha"], ["bound", "theorem1", "--alpha", "-inf"],
    ["bound", "theorem1", "--zeta", "1"], ["bound", "theorem1", "--paper=yes"],
    ["audit", "theorem9"], ["audit", ""], ["audit", "lemma_b", "theorem9"],
    ["audit", "the\norem\x1b[31m"], ["audit", "--format", "xml"], ["audit", "--timings=1"],
    ["audit", "-o"], ["errata", "--format", "text"], ["errata", "extra"], ["simulate"],
    ["simulate", "theorem9"], ["simulate", "lemma_b"], ["simulate", ""],
    ["simulate", "theorem1", "theorem2"], ["plot", "--format", "gif"], ["plot", "--format"],
    ["plot", "extra"], ["plot", "--out"],
], ids=ascii)
def test_an_unknown_name_or_option_is_one_line_and_exit_2(capsys, argv):
    rejects(capsys, argv)


def test_an_error_message_is_one_line_whatever_the_input_holds(capsys):
    rejects(capsys, ["audit", "a\nb\rc\x1b[2J"], "a\\nb\\rc\\x1b[2J")
    rejects(capsys, ["results", "x\ny"], "x\\ny")
    assert one_line("β ok") == "β ok"


TIMEOUTS = ["0", "-5", str(MAX_TIMEOUT_MS + 1), str(10**30), "1e3", "0x10", "1_000", "",
            "١٠", "nan", "5.0", " ", "inf", "9" * 5000]


@pytest.mark.parametrize("command", ["audit", "errata"])
@pytest.mark.parametrize("bad", TIMEOUTS, ids=ascii)
def test_an_over_limit_or_bad_timeout_is_one_line_and_exit_2(capsys, command, bad):
    rejects(capsys, [command, f"--timeout-ms={bad}"], "--timeout-ms")


@pytest.mark.parametrize("bad", ["0", "-1", "5", "99", str(10**30), "two", "", "2.0", "٢"],
                         ids=ascii)
def test_an_over_limit_or_bad_min_engines_is_one_line_and_exit_2(capsys, bad):
    rejects(capsys, ["audit", "lemma_b", f"--min-engines={bad}"], "--min-engines")


SEEDS = ["-1", str(MAX_SEED + 1), str(10**30), "x", "0x1", "1_0", "", "١", "1e3", "9" * 5000]
MODELS = ["0", "-1", str(MAX_MODELS + 1), str(10**12), "1e3", "", "x", "1_000", "٣", "1.5"]


@pytest.mark.parametrize("bad", SEEDS, ids=ascii)
def test_an_over_limit_or_bad_seed_is_one_line_and_exit_2(capsys, bad):
    rejects(capsys, ["simulate", "theorem1", f"--seed={bad}"], "--seed")


@pytest.mark.parametrize("bad", MODELS, ids=ascii)
def test_an_over_limit_or_bad_model_count_is_one_line_and_exit_2(capsys, bad):
    rejects(capsys, ["simulate", "theorem1", f"--models={bad}"], "--models")


def test_the_integer_limits_are_inclusive():
    assert parse_int(str(MAX_SEED), 0, MAX_SEED) == MAX_SEED
    assert parse_int(" +7 ", 1, 7) == 7
    assert bounded_int(1, MAX_TIMEOUT_MS)(str(MAX_TIMEOUT_MS)) == MAX_TIMEOUT_MS
    for bad in (str(MAX_TIMEOUT_MS + 1), "0"):
        with pytest.raises(ValueError, match="must be from 1 to"):
            parse_int(bad, 1, MAX_TIMEOUT_MS)


@pytest.mark.parametrize("option", ["--timeout-ms", "--min-engines"])
def test_audit_help_states_the_limits(capsys, option):
    code, out, _ = cli(capsys, "audit", "--help")
    text = " ".join(out.split())
    limit = {"--timeout-ms": f"1 to {MAX_TIMEOUT_MS}",
             "--min-engines": f"1 to {len(REGISTRY)}"}[option]
    assert code == 0 and option in text and limit in text
    assert "--timings" in text


@pytest.mark.parametrize(("command", "needle"), [
    (["errata"], f"1 to {MAX_TIMEOUT_MS}"), (["simulate"], f"1 to {MAX_MODELS}"),
    (["simulate"], f"0 to 2**64-1 = {MAX_SEED}"),
    (["bound"], f"at most {MAX_DIGITS} digits and is 0 or 1e-{MAX_EXP10} <= |X| <= "
                f"1e{MAX_EXP10}; a range has at most {MAX_GRID} points"),
    (["bound"], f"at most {MAX_GRID} rows in all"),
])
def test_every_numeric_option_documents_its_limit(capsys, command, needle):
    code, out, _ = cli(capsys, *command, "--help")
    assert code == 0 and needle in " ".join(out.split())


# ---------------------------------------------------------------------------------------------
# output paths, checked before any work (in-process)

WRITERS: dict[str, Callable[[str], list[str]]] = {
    "audit -o": lambda f: ["audit", "lemma_b", "-o", f],
    "errata -o": lambda f: ["errata", "-o", f],
    "bound --csv": lambda f: [*bound_argv("theorem1", alpha="0.1:0.2:3lin"), "--csv", f],
    "simulate --plot": lambda f: ["simulate", "theorem1", "--models", "5", "--plot", f + ".png"],
}


@pytest.mark.parametrize("writer", WRITERS)
@pytest.mark.parametrize("where", ["directory", "missing-dir", "under-a-file", "empty",
                                   "too-long"])
def test_an_impossible_output_path_is_rejected_before_any_work(capsys, tmp_path, writer, where):
    (tmp_path / "file").write_text("keep\n")
    (tmp_path / "dir.png").mkdir()
    path = {"directory": str(tmp_path / "dir"), "missing-dir": str(tmp_path / "no" / "r"),
            "under-a-file": str(tmp_path / "file" / "r"), "empty": "",
            "too-long": str(tmp_path / ("x" * 300))}[where]
    if writer != "simulate --plot" and where == "directory":
        path += ".png"
    argv = WRITERS[writer](path)
    if where == "empty":
        argv[-1] = ""
    t0 = time.perf_counter()
    rejects(capsys, argv)
    assert time.perf_counter() - t0 < 5  # rejected before the audit, the errata, the models
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dir.png", "file"]
    assert (tmp_path / "file").read_text() == "keep\n"


@pytest.mark.parametrize("writer", WRITERS)
def test_an_unwritable_directory_is_rejected_before_any_work(capsys, unwritable_dir, writer):
    rejects(capsys, WRITERS[writer](str(unwritable_dir / "r")), str(unwritable_dir))


@pytest.mark.parametrize("where", ["empty", "a-file", "under-a-file", "figure-is-a-dir"])
def test_an_impossible_plot_directory_is_rejected_before_any_work(capsys, tmp_path, where):
    (tmp_path / "file").write_text("keep\n")
    (tmp_path / "figs" / "theorem4_terms.svg").mkdir(parents=True)
    out = {"empty": "", "a-file": str(tmp_path / "file"),
           "under-a-file": str(tmp_path / "file" / "figs"),
           "figure-is-a-dir": str(tmp_path / "figs")}
    rejects(capsys, ["plot", "--out", out[where], "--format", "png", "svg"])
    assert sorted(p.name for p in (tmp_path / "figs").iterdir()) == ["theorem4_terms.svg"]


def test_a_plot_file_with_an_unknown_type_is_rejected(capsys, tmp_path):
    rejects(capsys, ["simulate", "theorem1", "--plot", str(tmp_path / "p.gif")], ".png")
    assert list(tmp_path.iterdir()) == []


# ---------------------------------------------------------------------------------------------
# closed, full, broken and read-only standard streams (subprocess)

SMALL = {
    "results": ["results"],
    "bound": bound_argv("theorem1"),
    "bound-grid": bound_argv("theorem1", alpha="0.1:0.2:3lin"),
    "simulate": ["simulate", "theorem1", "--models", "5"],
    "audit": ["audit", "lemma_b"],
    "help": ["bound", "--help"],
}


@pytest.mark.parametrize("name", [*SMALL, "plot", "errata"])
def test_a_closed_stdout_is_one_line_and_exit_2(tmp_path, name):
    argv = {"plot": ["plot", "--out", str(tmp_path / "figs")], "errata": ["errata"]}.get(
        name, SMALL.get(name))
    t0 = time.monotonic()
    p = run(*argv, preexec_fn=closing(1))
    assert_rejected(p, "standard output is closed")
    assert time.monotonic() - t0 < 20  # before the work
    assert list(tmp_path.iterdir()) == []


def test_a_closed_stdout_does_not_matter_when_the_report_goes_to_a_file(tmp_path):
    out = tmp_path / "r.txt"
    p = run("audit", "lemma_b", "-o", out, preexec_fn=closing(1))
    assert_clean(p)
    assert out.read_text(encoding="utf-8").endswith("every repaired chain PROVED\n")


@pytest.mark.parametrize("argv", [
    ["bound", "nosuch"], ["nosuch"], ["audit", "--timeout-ms", "0"],
    ["simulate", "theorem1", "--models", "0"], ["audit", "lemma_b", "-o", "/no/such/dir/r.txt"],
], ids=" ".join)
@pytest.mark.parametrize("stderr", ["closed", "full", "broken"])
def test_a_usage_error_is_exit_2_whatever_stderr_is(argv, stderr):
    if stderr == "closed":
        p = run(*argv, preexec_fn=closing(2))
    elif stderr == "full":
        with open("/dev/full", "wb") as full:
            p = run(*argv, stderr=full)
    else:
        r, w = os.pipe()
        os.close(r)
        try:
            p = run(*argv, stderr=w)
        finally:
            os.close(w)
    assert p.returncode == 2
    assert p.stdout == b""


@pytest.mark.parametrize("stderr", ["closed", "full"])
def test_success_is_exit_0_whatever_stderr_is(stderr):
    if stderr == "closed":
        p = run("results", preexec_fn=closing(2))
    else:
        with open("/dev/full", "wb") as full:
            p = run("results", stderr=full)
    assert p.returncode == 0
    assert b"theorem1" in p.stdout


@pytest.mark.parametrize("name", [*SMALL, "version", "top-help"])
def test_a_full_stdout_is_one_line_and_exit_2(name):
    argv = {"version": ["--version"], "top-help": ["--help"]}.get(name) or SMALL[name]
    with open("/dev/full", "wb") as full:
        p = run(*argv, stdout=full)
    assert_rejected(p, "No space left on device")


@pytest.mark.parametrize("name", ["results", "bound", "audit"])
def test_a_stdout_opened_read_only_is_one_line_and_exit_2(name):
    with open(os.devnull, "rb") as ro:
        p = run(*SMALL[name], stdout=ro)
    assert_rejected(p, "cannot write to standard output")


@pytest.mark.parametrize("argv", [
    ["results"], bound_argv("theorem1"), bound_argv("theorem1", alpha="1e-9:0.4:200000log"),
    ["audit", "lemma_b"],
], ids=["results", "bound", "bound-grid", "audit"])
def test_a_reader_that_leaves_early_is_not_an_error(argv):
    r, w = os.pipe()
    with os.fdopen(r, "rb") as reader:
        proc = subprocess.Popen([BEBCHECK, *argv], stdin=subprocess.DEVNULL, stdout=w,
                                stderr=subprocess.PIPE)
        os.close(w)
        assert reader.read(10)
    _, err = proc.communicate(timeout=120)
    assert (proc.returncode, err) == (0, b"")


def test_a_closed_stdin_is_not_needed(tmp_path):
    p = run("audit", "lemma_b", "-o", tmp_path / "r.txt", preexec_fn=closing(0))
    assert_clean(p)
    assert (tmp_path / "r.txt").stat().st_size > 0


# ---------------------------------------------------------------------------------------------
# encodings (subprocess)

C_LOCALE = {"LC_ALL": "C", "LANG": "C", "PYTHONCOERCECLOCALE": "0", "PYTHONUTF8": "0",
            "PYTHONIOENCODING": None}
ENCODINGS = {"ascii": {"PYTHONIOENCODING": "ascii"}, "latin-1": {"PYTHONIOENCODING": "latin-1"},
             "ascii-strict": {"PYTHONIOENCODING": "ascii:strict"}, "C-locale": C_LOCALE}


@pytest.mark.parametrize("enc", ENCODINGS)
@pytest.mark.parametrize("argv", [["audit", "lemma_b"], bound_argv("theorem4"), ["results"]],
                         ids=["audit", "bound", "results"])
def test_a_stdout_that_is_not_utf8_gets_the_whole_report_escaped(enc, argv):
    p = run(*argv, env=ENCODINGS[enc])
    assert_clean(p)
    text = p.stdout.decode("ascii" if enc != "latin-1" else "latin-1")
    assert text.endswith("\n") and len(text) > 200
    if argv == ["audit", "lemma_b"]:
        assert "\\u03c6" in text and text.endswith("every repaired chain PROVED\n")


@pytest.mark.parametrize("enc", ["ascii", "C-locale"])
def test_files_are_utf8_whatever_the_locale(tmp_path, enc):
    out = tmp_path / "r.txt"
    p = run("audit", "lemma_b", "-o", out, env=ENCODINGS[enc])
    assert_clean(p)
    assert "Pφ" in out.read_text(encoding="utf-8")


@pytest.mark.parametrize("enc", ["ascii", "C-locale"])
def test_a_non_ascii_name_in_an_error_is_escaped_not_a_crash(enc):
    assert_rejected(run("audit", "théorème→1", env=ENCODINGS[enc]), "unknown result")


def test_argv_that_is_not_utf8_is_an_error_or_a_file_name(tmp_path):
    assert_rejected(run(b"audit", b"\xff\xfe"), "unknown result")
    target = os.path.join(os.fsencode(tmp_path), b"grid-\xff.csv")
    p = run(*[a.encode() for a in bound_argv("theorem1")], b"--csv", target)
    assert_clean(p)
    assert b"\\udcff" in p.stdout or b"\xff" in p.stdout
    assert os.listdir(os.fsencode(tmp_path)) == [b"grid-\xff.csv"]


# ---------------------------------------------------------------------------------------------
# matplotlib's environment (subprocess)

MPL_ENVS = {"bad-backend": {"MPLBACKEND": "nonsense"}, "home-unwritable": {"HOME": "/proc",
            "MPLCONFIGDIR": None, "XDG_CONFIG_HOME": None, "XDG_CACHE_HOME": None},
            "configdir-a-file": {"MPLCONFIGDIR": "/dev/null/mpl"}}


@pytest.mark.slow
@pytest.mark.parametrize("env", MPL_ENVS)
def test_plot_says_nothing_on_stderr_whatever_matplotlib_finds(tmp_path, env):
    p = run("plot", "--out", tmp_path / "figs", env=MPL_ENVS[env])
    assert_clean(p)
    assert p.stdout.count(b"wrote ") == 3
    assert (tmp_path / "figs" / "theorem1_length_vs_alpha.png").read_bytes()[:4] == b"\x89PNG"


@pytest.mark.parametrize("env", MPL_ENVS)
def test_simulate_plot_says_nothing_on_stderr_whatever_matplotlib_finds(tmp_path, env):
    out = tmp_path / "p.svg"
    p = run("simulate", "theorem1", "--models", "40", "--plot", out, env=MPL_ENVS[env])
    assert_clean(p)
    assert out.read_text().lstrip().startswith("<?xml")


@pytest.mark.parametrize("env", MPL_ENVS)
def test_a_rejection_is_still_one_line_whatever_matplotlib_finds(tmp_path, env):
    assert_rejected(run("plot", "--format", "gif", env=MPL_ENVS[env]))


# ---------------------------------------------------------------------------------------------
# limits that stop hangs (subprocess: the work must not even start)


@pytest.mark.parametrize("argv", [
    bound_argv("theorem1", alpha="1e-1000000"), bound_argv("theorem1", alpha="1e-99999999"),
    bound_argv("theorem1", beta="1e99999999"), bound_argv("theorem1", eps="1e-" + "9" * 100),
    ["simulate", "theorem1", "--models", "1000000000000"],
    ["audit", "lemma_b", "--timeout-ms", str(10**30)],
    ["errata", "--timeout-ms", str(10**30)],
], ids=["alpha-1e-1000000", "alpha-1e-99999999", "beta-1e99999999", "eps-100-digit-exponent",
        "models-1e12", "audit-timeout-1e30", "errata-timeout-1e30"])
def test_a_value_that_once_hung_or_crashed_is_rejected_at_once(argv):
    t0 = time.monotonic()
    p = run(*argv, timeout=30)
    assert_rejected(p)
    assert time.monotonic() - t0 < 10


# ---------------------------------------------------------------------------------------------
# files: devices, symlinks, permissions, whole or nothing (subprocess)


@pytest.fixture
def device(tmp_path: Path) -> Callable[[str], str]:
    """A character device to write to: ``null`` or ``full``.  Root gets a private node in
    ``tmp_path`` (a broken atomic writer would replace it, not the system's /dev/null)."""

    def make(kind: str) -> str:
        system = f"/dev/{kind}"
        if os.geteuid() != 0:
            return system  # nobody else can replace it
        node = tmp_path / kind
        try:
            os.mknod(node, 0o666 | stat.S_IFCHR, os.stat(system).st_rdev)
        except OSError:
            pytest.skip("cannot make a device node")
        return str(node)

    return make


@pytest.mark.parametrize("writer", ["audit -o", "bound --csv"])
def test_a_full_disk_is_one_line_and_exit_2(device, writer):
    full = device("full")
    p = run(*WRITERS[writer](full))
    assert_rejected(p, "No space left on device", full)
    assert stat.S_ISCHR(os.stat(full).st_mode)


@pytest.mark.parametrize("writer", ["audit -o", "bound --csv"])
def test_a_device_is_written_in_place_not_replaced(device, writer):
    null = device("null")
    p = run(*WRITERS[writer](null))
    assert p.returncode == 0 and p.stderr == b""
    assert stat.S_ISCHR(os.stat(null).st_mode)


def test_a_symlink_keeps_pointing_at_the_file_it_names(tmp_path):
    real = tmp_path / "real.csv"
    real.write_text("old\n")
    (tmp_path / "link.csv").symlink_to(real)
    assert_clean(run(*WRITERS["bound --csv"](str(tmp_path / "link.csv"))))
    assert (tmp_path / "link.csv").is_symlink()
    assert real.read_text().startswith("alpha,")
    assert leftovers(tmp_path) == []


def test_a_new_file_gets_the_umask_and_an_old_one_keeps_its_mode(tmp_path):
    new, old = tmp_path / "new.csv", tmp_path / "old.csv"
    old.write_text("old\n")
    old.chmod(0o640)
    for f in (new, old):
        assert_clean(run(*WRITERS["bound --csv"](str(f)), preexec_fn=lambda: os.umask(0o022)))
    assert stat.S_IMODE(new.stat().st_mode) == 0o644
    assert stat.S_IMODE(old.stat().st_mode) == 0o640


def test_a_read_only_file_is_not_replaced(tmp_path):
    if os.geteuid() == 0:
        pytest.skip("root may write a read-only file")
    f = tmp_path / "r.csv"
    f.write_text("keep\n")
    f.chmod(0o444)
    assert_rejected(run(*WRITERS["bound --csv"](str(f))), "read-only")
    assert f.read_text() == "keep\n"


def test_a_rejected_oversized_grid_neither_creates_nor_truncates(tmp_path):
    big = {"alpha": "1e-9:0.4:1000log", "beta": f"0.1:1:{MAX_GRID // 1000 + 1}lin"}
    old = tmp_path / "old.csv"
    old.write_text("old\n")
    for f in (old, tmp_path / "new.csv"):
        assert_rejected(run(*bound_argv("theorem1", **big), "--csv", f), "the grid has")
    assert old.read_text() == "old\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["old.csv"]


@pytest.mark.slow
def test_concurrent_csv_writers_leave_one_whole_file(tmp_path):
    f = tmp_path / "grid.csv"
    procs = [subprocess.Popen([BEBCHECK, *bound_argv("theorem1", alpha="1e-9:0.4:150000log",
                                                     beta=beta), "--csv", str(f)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
             for beta in ("0.25", "0.5", "2")]
    for p in procs:
        _, err = p.communicate(timeout=120)
        assert (p.returncode, err) == (0, b"")
    with f.open(newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == 150000
    assert len({r["beta"] for r in rows}) == 1 and rows[0]["beta"] in {"0.25", "0.5", "2.0"}
    assert leftovers(tmp_path) == []


def test_audit_prints_times_only_with_timings(tmp_path):
    plain, timed = run("audit", "lemma_b"), run("audit", "lemma_b", "--timings")
    assert_clean(plain)
    assert_clean(timed)
    assert "s)" not in plain.stdout.decode() and " in " not in plain.stdout.decode()
    assert "s)\n" in timed.stdout.decode()
    assert plain.stdout.decode().splitlines()[0] == timed.stdout.decode().splitlines()[0]


# ---------------------------------------------------------------------------------------------
# signals: one line, 128 + signal, the old file intact, no temporary, no worker left


def _children(pid: int) -> set[int]:
    out: set[int] = set()
    for t in glob.glob(f"/proc/{pid}/task/*/children"):
        with contextlib.suppress(OSError):
            out |= {int(x) for x in Path(t).read_text().split()}
    return out


def _alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(") ")[1][0] != "Z"
    except (OSError, IndexError):
        return False


def interrupt(argv: list[str], ready: Callable[[subprocess.Popen[bytes]], bool],
              sig: int = signal.SIGINT) -> tuple[int, bytes, set[int]]:
    """Start ``bebcheck ARGV``, wait until ``ready``, send ``sig``: exit status, stderr and the
    child processes it had."""
    p = subprocess.Popen([BEBCHECK, *argv], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                         stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 60
        while not ready(p) and time.monotonic() < deadline:
            assert p.poll() is None, "finished before it could be interrupted"
            time.sleep(0.02)
        kids = _children(p.pid)
        p.send_signal(sig)
        _, err = p.communicate(timeout=60)
    finally:
        if p.poll() is None:
            p.kill()
            p.wait()
    return p.returncode, err, kids


def _temp_in(folder: Path) -> Callable[[subprocess.Popen[bytes]], bool]:
    return lambda p: bool(leftovers(folder))


def _workers_started(p: subprocess.Popen[bytes]) -> bool:
    return len(_children(p.pid)) >= 2


def _after(seconds: float) -> Callable[[subprocess.Popen[bytes]], bool]:
    t0 = time.monotonic()
    return lambda p: time.monotonic() - t0 > seconds


SIGNALLED = {
    "audit": (lambda f: ["audit", "-o", f], _workers_started),
    "audit-json": (lambda f: ["audit", "--format", "json", "-o", f], _workers_started),
    "errata": (lambda f: ["errata", "-o", f], _workers_started),
    "bound-csv": (lambda f: [*bound_argv("theorem4", alpha="1e-12:0.4:1000log",
                                         beta="0.01:10:1000log"), "--csv", f], None),
    "simulate-plot": (lambda f: ["simulate", "theorem3", "--models", str(MAX_MODELS),
                                 "--plot", f], None),
    "plot": (None, None),
}


@pytest.mark.slow
@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
@pytest.mark.parametrize("name", SIGNALLED)
def test_a_signal_stops_the_work_in_one_line_and_leaves_the_old_file(tmp_path, name, sig):
    build, ready = SIGNALLED[name]
    figs = tmp_path / "figs"
    figs.mkdir()
    old = figs / ("theorem4_terms.png" if build is None  # drawn last
                  else "out.png" if name == "simulate-plot" else "out.txt")
    old.write_bytes(b"old\n")
    argv = ["plot", "--out", str(figs)] if build is None else build(str(old))
    code, err, kids = interrupt(argv, ready or _temp_in(figs) if name != "simulate-plot"
                                else _after(1.5), sig)
    word = "interrupted" if sig == signal.SIGINT else "terminated"
    assert (code, err) == (128 + sig, f"bebcheck: {word}\n".encode())
    assert old.read_bytes() == b"old\n"
    assert leftovers(figs) == []
    time.sleep(0.2)
    assert not [k for k in kids if _alive(k)], "a solver worker outlived bebcheck"


@pytest.mark.slow
def test_ctrl_c_at_a_terminal_reaches_the_workers_too_and_all_end_quietly(tmp_path):
    """A terminal's Ctrl-C signals the whole process group: bebcheck and its solver workers."""
    old = tmp_path / "r.txt"
    old.write_text("old\n")
    p = subprocess.Popen([BEBCHECK, "audit", "-o", str(old)], stdin=subprocess.DEVNULL,
                         stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                         start_new_session=True)
    deadline = time.monotonic() + 60
    while not _workers_started(p) and time.monotonic() < deadline:
        time.sleep(0.02)
    kids = _children(p.pid)
    os.killpg(p.pid, signal.SIGINT)
    _, err = p.communicate(timeout=60)
    assert (p.returncode, err) == (130, b"bebcheck: interrupted\n")
    assert old.read_text() == "old\n" and leftovers(tmp_path) == []
    time.sleep(0.2)
    assert not [k for k in kids if _alive(k)]


@pytest.mark.slow
def test_an_ignored_sigint_stays_ignored(tmp_path):
    """A background job of a shell script runs with SIGINT ignored: bebcheck keeps it so."""
    out = tmp_path / "grid.csv"
    p = subprocess.Popen([BEBCHECK, *bound_argv("theorem1", alpha="1e-9:0.4:200000log"), "--csv",
                          str(out)], stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE,
                         preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_IGN))
    deadline = time.monotonic() + 60
    while not leftovers(tmp_path) and p.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    p.send_signal(signal.SIGINT)
    stdout, err = p.communicate(timeout=120)
    assert (p.returncode, err) == (0, b"")
    assert b"wrote 200000 rows" in stdout


def test_in_process_the_signal_handlers_are_given_back(capsys):
    before = signal.getsignal(signal.SIGINT), signal.getsignal(signal.SIGTERM)
    code, _, _ = cli(capsys, "results")
    assert code == 0
    assert (signal.getsignal(signal.SIGINT), signal.getsignal(signal.SIGTERM)) == before


def test_in_process_a_keyboard_interrupt_is_one_line_and_130(capsys, monkeypatch, tmp_path):
    from bebcheck.checks.cli import results

    def interrupted(args: object) -> int:
        raise KeyboardInterrupt

    monkeypatch.setattr(results, "run", interrupted)
    code, out, err = cli(capsys, "results")
    assert (code, out, err) == (130, "", "bebcheck: interrupted\n")


def test_an_unexpected_exception_is_one_line_exit_70(capsys, monkeypatch):
    from bebcheck.checks.cli import results

    def broken(args: object) -> int:
        raise RuntimeError("boom\nsecond line")

    monkeypatch.setattr(results, "run", broken)
    code, out, err = cli(capsys, "results")
    assert code == 70 and out == "" and err.count("\n") == 1
    assert err.startswith("bebcheck: internal error: RuntimeError: boom\\nsecond line")


def test_an_error_while_writing_a_file_keeps_the_old_one(tmp_path):
    from bebcheck.checks.cli.common import atomic_path

    target = tmp_path / "r.txt"
    target.write_text("old\n")

    def disk_full() -> None:
        with atomic_path(target) as tmp:
            Path(tmp).write_text("half")
            raise OSError(28, "No space left on device")

    with pytest.raises(OSError, match="No space left") as e:
        disk_full()
    assert e.value.filename == str(target)
    assert target.read_text() == "old\n" and leftovers(tmp_path) == []


def test_help_of_the_command_documents_the_exit_statuses(capsys):
    code, out, _ = cli(capsys, "--help")
    text = " ".join(out.split())
    assert code == 0
    for needle in ("2 usage error", "70 internal error", "130 interrupted", "143 terminated",
                   "UTF-8"):
        assert needle in text


def test_stdout_in_memory_is_left_as_it_was(capsys):
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        code = main(["results"])
    assert code == 0 and "theorem1" in buf.getvalue()
