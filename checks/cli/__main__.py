"""``python -m bebcheck.checks.cli``: the command line."""

from bebcheck.checks.cli import main

raise SystemExit(main())
