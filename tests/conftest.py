"""Shared fixtures: one Checker (and its solver workers) per test session."""

from __future__ import annotations

import pytest


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
