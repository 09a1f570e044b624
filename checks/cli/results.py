"""``bebcheck results``: the results bebcheck knows."""

from __future__ import annotations

import argparse
from typing import Any

__all__ = ["register", "run"]


def register(sub: Any) -> None:
    sub.add_parser("results", help="list the results bebcheck knows").set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from bebcheck.proofs import DEFAULT

    for name in DEFAULT.names():
        print(f"{name:10s} {DEFAULT.chain(name).title}")
    return 0
