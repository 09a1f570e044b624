"""``bebcheck results``: the results bebcheck knows."""

from __future__ import annotations

import argparse
from typing import Any

from .streams import require_stdout

__all__ = ["register", "run"]


def register(sub: Any) -> None:
    sub.add_parser("results", help="list the results bebcheck knows").set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from bebcheck.proofs import DEFAULT

    out = require_stdout()
    for name in DEFAULT.names():
        out.write(f"{name:10s} {DEFAULT.chain(name).title}\n")
    return 0
