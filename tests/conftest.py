"""Shared fixtures: one Checker (and its solver workers) per test session."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent
# the suite never reads or fills a user's proof cache (subprocesses inherit this); the cache's
# own tests give it a directory of their own
os.environ["BEBCHECK_NO_CACHE"] = "1"
_TREE = {"bebcheck.symbolic": "symbolic", "bebcheck.proofs": "proofs", "bebcheck.checks": "checks"}


def _stale_files() -> tuple[str, list[str]]:
    """Where bebcheck is imported from, and the working-tree files that differ from it."""
    import importlib

    stale = []
    where = ""
    for package, folder in _TREE.items():
        installed = Path(importlib.import_module(package).__file__).parent
        where = str(installed.parent)
        if installed.resolve() == (ROOT / folder).resolve():
            continue  # an editable install: the tree is what the tests import
        for src in sorted((ROOT / folder).rglob("*.py")):
            twin = installed / src.relative_to(ROOT / folder)
            if not twin.exists() or twin.read_bytes() != src.read_bytes():
                stale.append(str(src.relative_to(ROOT)))
    return where, stale


def pytest_report_header(config):
    where, _ = _stale_files()
    return f"bebcheck imported from {where}"


def pytest_sessionstart(session):
    """Edits are invisible after a non-editable install: refuse to test a stale copy."""
    _, stale = _stale_files()
    if stale:
        pytest.exit(f"the installed bebcheck differs from the working tree ({len(stale)} files, "
                    f"e.g. {stale[0]}): run pip install -e '.[test]'", returncode=2)


def pytest_collection_modifyitems(config, items):
    """``@pytest.mark.requires_engine("cvc5")``: skip when the registry cannot run the engine."""
    from bebcheck.checks.engines import available

    for item in items:
        for mark in item.iter_markers("requires_engine"):
            missing = [n for n in mark.args if not available(n)]
            if missing:
                item.add_marker(pytest.mark.skip(reason=f"engine not available: {missing}"))


@pytest.fixture(scope="session")
def checker():
    from bebcheck.checks.audit import Checker, Policy

    with Checker(Policy(timeout_ms=5000)) as ch:
        yield ch


@pytest.fixture(scope="session")
def audit(checker):
    """Reports of every chain, computed once."""
    from bebcheck.proofs.beb_v1 import RESULTS

    return {name: checker.check_chain(fn()) for name, fn in RESULTS.items()}


@pytest.fixture(scope="session")
def reports(audit):
    """The audit's chain reports, in the paper's order."""
    return list(audit.values())
