"""The bebcheck command line: one module per subcommand, one table of commands."""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence
from typing import IO, NoReturn

from bebcheck import __version__
from bebcheck.symbolic.errors import BebcheckError

from . import streams

__all__ = ["COMMANDS", "EPILOG", "Parser", "build_parser", "console", "main"]

COMMANDS: dict[str, tuple[str, str]] = {
    "audit": ("audit", "check every step of the named results (default: all)"),
    "errata": ("errata", "the errata sheet: every finding, with evidence and fix"),
    "bound": ("bound", "explicit prompt length of a result (repaired and as printed); "
                       "ranges give CSV"),
    "plot": ("bound", "figures of the explicit bounds (matplotlib PNG/SVG)"),
    "simulate": ("simulate", "run a result against synthetic mixture language models"),
    "report": ("report", "audit once, write HTML, SARIF, JUnit and JSON reports to files"),
    "check": ("check", "audit the chains of spec files (any paper; TOML, read not run)"),
    "results": ("results", "list the results bebcheck knows"),
    "certify": ("certify", "write exact certificates (Farkas, sum of squares) for PROVED obligations"),
    "verify-certificates": ("certify", "re-check certificates with a small exact checker, no solver"),
    "lm": ("lm", "measure the paper's quantities on a real language model (SmolLM2) and attack it"),
}
"""Subcommand → (module of ``bebcheck.checks.cli`` that registers it, one-line help)."""


class Parser(argparse.ArgumentParser):
    """argparse with one-line usage errors (exit 2, even with stderr closed), no usage dump."""

    def error(self, message: str) -> NoReturn:
        streams.say(f"error: {message}")
        raise SystemExit(2)

    def _print_message(self, message: str, file: IO[str] | None = None) -> None:
        """Help and version text (``file`` None: stdout was closed); argparse would swallow a
        failed write (``--help > /dev/full`` exiting 0): here it is an error like any other."""
        if message:
            (file if file is not None else streams.require_stdout()).write(message)


EPILOG = """\
exit status: 0 success; 1 audit: some repaired chain is not PROVED, simulate: a repaired
length failed; 2 usage error, bad input or an output that cannot be written (a full disk,
a closed standard output: one line on stderr); 70 internal error (a bug: please report it);
130 interrupted (Ctrl-C), 143 terminated (SIGTERM): output files are left as they were.
Files are written whole (a temporary file beside them, then renamed) and in UTF-8; standard
output escapes what its encoding cannot show (\\u03b2 under LC_ALL=C).  A reader that
leaves early (| head) is not an error."""


def build_parser(argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """The parser; a subcommand's module is imported only when it is used (or for help)."""
    p = Parser(prog="bebcheck", description="Machine-check the BEB paper (arXiv 2304.11082v1).",
               epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--version", action="version", version=f"bebcheck {__version__}")
    sub = p.add_subparsers(dest="cmd", required=True, parser_class=Parser)
    order = list(dict.fromkeys(m for m, _ in COMMANDS.values()))
    command = next((a for a in argv or () if a in COMMANDS), None)
    chosen = {COMMANDS[command][0]} if command else set()  # `bebcheck --help`: one-liners only
    for module in order:
        if module in chosen:
            importlib.import_module(f"{__name__}.{module}").register(sub)
            continue
        for name, (m, what) in COMMANDS.items():
            if m == module:
                sub.add_parser(name, help=what)
    return p


def _run(argv: list[str]) -> int:
    """Parse and run; standard output flushed here, so that its errors are caught here."""
    try:
        args = build_parser(argv).parse_args(argv)
        code = int(args.handler(args))
    except SystemExit as done:  # --help, --version, usage errors
        code = done.code if isinstance(done.code, int) else (0 if done.code is None else 2)
    if sys.stdout is not None:
        sys.stdout.flush()
    return code


def _os_error(e: OSError) -> str:
    if e.filename is not None:
        return f"{e.strerror or e}: {os.fsdecode(e.filename)}"
    if e.strerror:  # files get their name in atomic_path: this is standard output
        return f"cannot write to standard output: {e.strerror}"
    return str(e)


def main(argv: Sequence[str] | None = None) -> int:
    """The ``bebcheck`` command: its exit status (see ``bebcheck --help``)."""
    streams.prepare()
    args_list = list(sys.argv[1:] if argv is None else argv)
    with streams.interruptible():
        try:
            return _run(args_list)
        except KeyboardInterrupt as e:  # Ctrl-C or SIGTERM: atomic files were left as they were
            streams.ignore_signals()
            stop = e if isinstance(e, streams.Interrupted) else streams.Interrupted(2)
            streams.say(stop.message)
            return stop.exit_code
        except BebcheckError as e:
            streams.say(f"error: {e}")
            return 2
        except BrokenPipeError:  # e.g. `bebcheck audit | head`: the reader left, nothing is wrong
            streams.drop_stdout()
            return 0
        except OSError as e:  # a full disk, an unwritable file, stdout opened read-only ...
            if e.filename is None:
                streams.drop_stdout()
            streams.say(f"error: {_os_error(e)}")
            return 2
        except Exception as e:  # noqa: BLE001 - a bug: one line and EX_SOFTWARE, not a traceback
            streams.say(f"internal error: {type(e).__name__}: {e} (please report it)")
            return 70


def console() -> NoReturn:
    """The console script: ``main``'s exit status, without the interpreter's teardown.

    Tearing down an audit's hundreds of thousands of sympy objects takes a quarter of a second
    and has nothing left to do: the report is written and flushed, every file was replaced
    whole, the solver workers are reaped.  Standard streams are flushed here first.
    """
    code = main()
    for stream in (sys.stdout, sys.stderr):
        try:
            if stream is not None:
                stream.flush()
        except (OSError, ValueError):  # a reader that left: main has said what it had to
            pass
    os._exit(code)
