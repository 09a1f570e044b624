"""Where a step sits in a paper: a section and the display or sentence it quotes."""

from __future__ import annotations

import enum
from dataclasses import dataclass

from .errors import InputError

__all__ = ["Anchor", "Location"]


class Anchor(enum.StrEnum):
    """What inside a section a step points at."""

    DISPLAY = "display"  # a displayed formula: "second display", "equation (7)"
    SENTENCE = "sentence"  # a sentence of prose, named by its opening words
    STATEMENT = "statement"  # the statement of a definition, theorem or lemma
    CODE = "code"  # a closed form of this tool (not a sentence of the paper)


@dataclass(frozen=True)
class Location:
    """A section (``Appendix F``, ``Definition 5``, ``Section 3.1``) and an anchor in it.

    ``ref`` names the display (``second display``), the sentence (its opening words) or the part
    of a statement (``third condition``); ``note`` qualifies (``rearranging``, ``worst case``);
    ``repaired`` marks the location of a repaired step (it stands beside the printed one).
    """

    section: str
    anchor: Anchor
    ref: str = ""
    note: str = ""
    repaired: bool = False

    def __post_init__(self) -> None:
        if not self.section.strip():
            raise InputError("a location needs a section")
        if self.anchor in (Anchor.DISPLAY, Anchor.SENTENCE) and not self.ref.strip():
            raise InputError(f"{self.section}: a {self.anchor} location must name it")

    @classmethod
    def display(cls, section: str, ref: str, note: str = "") -> Location:
        return cls(section, Anchor.DISPLAY, ref, note)

    @classmethod
    def sentence(cls, section: str, opening: str, note: str = "") -> Location:
        return cls(section, Anchor.SENTENCE, opening, note)

    @classmethod
    def statement(cls, section: str, ref: str = "", note: str = "") -> Location:
        return cls(section, Anchor.STATEMENT, ref, note)

    @classmethod
    def code(cls, path: str, ref: str, note: str = "") -> Location:
        return cls(path, Anchor.CODE, ref, note)

    def as_repaired(self, note: str | None = None) -> Location:
        """The same place, for the repaired step that stands beside the printed one."""
        return Location(self.section, self.anchor, self.ref,
                        self.note if note is None else note, repaired=True)

    def __str__(self) -> str:
        ref = f"“{self.ref}…”" if self.anchor is Anchor.SENTENCE else self.ref
        text = f"{self.section}, {ref}" if ref else self.section
        notes = [n for n in (self.note, "repaired" if self.repaired else "") if n]
        return f"{text} ({'; '.join(notes)})" if notes else text

    def as_json(self) -> dict[str, object]:
        return {"section": self.section, "anchor": self.anchor.value, "ref": self.ref,
                "note": self.note, "repaired": self.repaired}
