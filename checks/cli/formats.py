"""The report formats a subcommand can write, one renderer each, chosen by name."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bebcheck.checks.audit import ChainReport

__all__ = ["FORMATS", "Rendering", "render"]


@dataclass(frozen=True)
class Rendering:
    """What a renderer is given: the reports to show, the whole audit's (for the errata sheet
    a format points into), the run's time and whether to show times."""

    reports: list[ChainReport]
    whole: list[ChainReport]
    seconds: float
    timings: bool = False
    citation: str = ""  # the audited paper ("": the default paper's)
    title: str = ""
    # spec files: result → the file it was read from, (result, step) → the step's line
    spec: tuple[dict[str, str], dict[tuple[str, str], int]] | None = None

    def paper(self) -> tuple[str, str]:
        """The audited paper's citation and title."""
        if self.citation:
            return self.citation, self.title
        from bebcheck.proofs import DEFAULT

        return DEFAULT.citation, DEFAULT.title


def _text(r: Rendering) -> str:
    from bebcheck.checks.audit import to_text

    return to_text(r.reports, r.seconds, timings=r.timings)


def _table(r: Rendering) -> str:
    from bebcheck.checks.audit import to_table

    return to_table(r.reports, r.seconds, timings=r.timings)


def _json(r: Rendering) -> str:
    from bebcheck.checks.audit import to_json

    return to_json(r.reports, r.seconds, r.paper()[0])


def _sarif(r: Rendering) -> str:
    from bebcheck.checks.audit import collect
    from bebcheck.checks.audit.report_sarif import to_sarif

    from . import __version__

    return to_sarif(r.reports, collect(r.whole), r.paper()[0], version=__version__,
                    sheet=None if r.spec else _committed_sheet(), spec=r.spec)


SHEET = Path("docs") / "errata.md"
"""The errata sheet a repository holds, relative to where bebcheck runs (CI: the checkout)."""


def _committed_sheet() -> str | None:
    """The text of ``docs/errata.md`` here, if there is one: SARIF locations must point at
    its lines even when this run's findings differ (another policy, a solver that failed).
    Elsewhere the lines are those of the sheet this run would write."""
    try:
        if SHEET.is_file() and SHEET.stat().st_size < 1 << 24:
            return SHEET.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        pass
    return None


def _junit(r: Rendering) -> str:
    from bebcheck.checks.audit.report_junit import to_junit

    return to_junit(r.reports)


def _html(r: Rendering) -> str:
    from bebcheck.checks.audit import collect
    from bebcheck.checks.audit.report_html import to_html

    return to_html(r.reports, collect(r.reports), *r.paper())


FORMATS: dict[str, tuple[Callable[[Rendering], str], bool, str]] = {
    "text": (_text, False, "the text report"),
    "json": (_json, False, "one JSON document: every chain, step and obligation"),
    "table": (_table, False, "the Markdown coverage table"),
    "sarif": (_sarif, True, "SARIF 2.1.0: a result per finding and repair, located in "
                            "docs/errata.md (code-scanning tools)"),
    "junit": (_junit, False, "JUnit XML: a test case per obligation, green exactly when "
                             "the audit exits 0"),
    "html": (_html, False, "one standalone HTML page for reviewers"),
}
"""Format → (renderer, whether it needs the whole audit, one-line description)."""


def render(fmt: str, r: Rendering) -> str:
    return FORMATS[fmt][0](r)
