"""The full audit and the errata sheet against their committed versions (behaviour preserved)."""

from __future__ import annotations

import json
from pathlib import Path

from bebcheck.checks.audit import to_json
from bebcheck.checks.audit.errata import collect, to_markdown
from bebcheck.checks.audit.errata import to_json as errata_json
from bebcheck.proofs import DEFAULT

from .helpers import audit_projection

ROOT = Path(__file__).parent.parent
GOLDEN = Path(__file__).parent / "golden" / "audit.json"


def test_the_audit_json_matches_the_golden_projection(audit):
    doc = json.loads(to_json(list(audit.values()), 0.0, DEFAULT.citation))
    got = audit_projection(doc)
    want = json.loads(GOLDEN.read_text(encoding="utf-8"))
    assert [r["result"] for r in got] == [r["result"] for r in want]
    for g, w in zip(got, want, strict=True):
        for gs, ws in zip(g["steps"], w["steps"], strict=True):
            assert gs == ws, gs["id"]
        assert g == w, g["result"]


def test_the_committed_errata_sheet_is_what_the_audit_writes(audit):
    errata = collect(list(audit.values()))
    md = to_markdown(errata, DEFAULT.citation, DEFAULT.title)
    assert md == (ROOT / "docs" / "errata.md").read_text(encoding="utf-8")
    assert errata_json(errata, DEFAULT.citation) == (ROOT / "docs" / "errata.json").read_text(
        encoding="utf-8")
