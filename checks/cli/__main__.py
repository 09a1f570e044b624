"""``python -m bebcheck.checks.cli``: the command line."""

from bebcheck.checks.cli import console

console()
