"""Shared fixtures: one Checker (and its solver workers) per test session."""

from __future__ import annotations

import pytest

from bebcheck.checks.runner import Checker, Policy


@pytest.fixture(scope="session")
def checker():
    with Checker(Policy(timeout_ms=5000)) as ch:
        yield ch


@pytest.fixture(scope="session")
def audit(checker):
    """Reports of every chain, computed once."""
    from bebcheck.proofs import RESULTS

    return {name: checker.check_chain(fn()) for name, fn in RESULTS.items()}
