"""Shared fixtures: one Checker (and its solver workers) per test session."""

from __future__ import annotations

import pytest


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
