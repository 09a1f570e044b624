"""Spec files: a paper's parameters, results, steps and obligations as TOML, read without running any of it.

The format is documented in ``docs/spec-format.md``.  TOML is read by the standard library's
``tomllib``; formulas by :func:`bebcheck.symbolic.spec.expr.parse_expr`, which builds sympy from a
checked syntax tree.  Every error is one :class:`SpecError` line naming the file, line and
column (of the offending value where it can be found, else of its table).
"""

from __future__ import annotations

import os
import stat
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Any

import sympy as sp

from bebcheck.symbolic.chain import Chain
from bebcheck.symbolic.errors import InputError
from bebcheck.symbolic.finding import Finding, FindingKind, Severity
from bebcheck.symbolic.lemmas import LEMMAS
from bebcheck.symbolic.location import Anchor, Location
from bebcheck.symbolic.obligation import Obligation
from bebcheck.symbolic.paper import Paper
from bebcheck.symbolic.params import Param
from bebcheck.symbolic.step import Step, StepKind

from .expr import ExprError, parse_expr, parse_number

__all__ = ["MAX_FILE", "MAX_ITEMS", "Spec", "SpecError", "load_spec", "loads_spec"]

MAX_FILE = 1 << 21
"""The largest spec file read (bytes)."""
MAX_ITEMS = 5000
"""The most parameters, results, steps or obligations a spec may declare (each)."""


class SpecError(InputError):
    """A spec file that is not one: ``file:line:column: what is wrong``."""


@dataclass
class Spec:
    """A loaded spec: the paper, and where each step's table starts in the file."""

    paper: Paper
    path: str
    step_lines: dict[tuple[str, str], int] = field(default_factory=dict)


def load_spec(path: str | os.PathLike[str]) -> Spec:
    """Read and check a spec file (a regular file of at most ``MAX_FILE`` bytes, UTF-8)."""
    name = os.fspath(path)
    try:
        info = os.stat(name)
        if not stat.S_ISREG(info.st_mode):
            raise SpecError(f"{name}: not a regular file")
        if info.st_size > MAX_FILE:
            raise SpecError(f"{name}: larger than {MAX_FILE} bytes")
        text = Path(name).read_bytes().decode("utf-8")
    except UnicodeDecodeError as e:
        raise SpecError(f"{name}: not UTF-8 (byte {e.start})") from None
    except OSError as e:
        raise SpecError(f"{name}: {e.strerror or e}") from None
    return loads_spec(text, name)


def loads_spec(text: str, name: str = "<spec>") -> Spec:
    """A spec from its text (``name``: the file, for messages)."""
    if len(text) > MAX_FILE:
        raise SpecError(f"{name}: larger than {MAX_FILE} characters")
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        line, col = getattr(e, "lineno", 0), getattr(e, "colno", 0)
        msg = str(e).split(" (at line")[0]
        raise SpecError(f"{name}:{line or 1}:{col or 1}: not TOML: {msg}") from None
    except RecursionError:
        raise SpecError(f"{name}:1:1: not TOML: nested too deep") from None
    return _Reader(text, name).read(doc)


class _Reader:
    """Builds the vocabulary's objects from a parsed document, with positions for errors."""

    def __init__(self, text: str, name: str) -> None:
        self.text, self.name = text, name
        self.lines = text.splitlines()
        self.where = 0  # the line of the table being read (0-based), for values not found
        self.step_lines: dict[tuple[str, str], int] = {}

    # -- positions -------------------------------------------------------------------
    def fail(self, message: str, value: object = None, column: int = 0) -> SpecError:
        """An error at ``value`` (a string found in the file after the current table)."""
        line, col = self.where + 1, 1
        if isinstance(value, str) and value:
            for n in range(self.where, len(self.lines)):
                at = self.lines[n].find(value)
                if at >= 0:
                    line, col = n + 1, at + 1 + column
                    break
        return SpecError(f"{self.name}:{line}:{col}: {message}")

    def goto(self, key: str, ident: str) -> int:
        """Move to the line that names ``ident`` as ``key`` (a table's id); its line."""
        for n in range(self.where, len(self.lines)):
            stripped = self.lines[n].replace(" ", "")
            if stripped.startswith((f'{key}="{ident}"', f"{key}='{ident}'")):
                self.where = n
                return n + 1
        return self.where + 1

    # -- the document ----------------------------------------------------------------
    def read(self, doc: dict[str, Any]) -> Spec:
        self._known(doc, {"paper", "params", "result"}, "the file")
        meta = self._table(doc.get("paper"), "[paper]")
        self._known(meta, {"key", "citation", "title"}, "[paper]")
        params = self._params(self._table(doc.get("params", {}), "[params]"))
        chains: dict[str, Chain] = {}
        for raw in self._array(doc.get("result"), "[[result]]"):
            chain = self._result(raw, params)
            if chain.result in chains:
                raise self.fail(f"result {chain.result!r} is declared twice", chain.result)
            chains[chain.result] = chain
        if not chains:
            raise self.fail("a spec needs at least one [[result]]")
        builders = {k: (lambda c=c: c) for k, c in chains.items()}
        paper = Paper(self._str(meta, "key", "[paper]"), self._str(meta, "citation", "[paper]"),
                      self._str(meta, "title", "[paper]"), builders)
        return Spec(paper, self.name, self.step_lines)

    def _params(self, table: Mapping[str, Any]) -> dict[str, Param]:
        if len(table) > MAX_ITEMS:
            raise self.fail(f"more than {MAX_ITEMS} parameters")
        out = {}
        for pname, raw in table.items():
            t = self._table(raw, f"[params.{pname}]")
            self._known(t, {"domain", "latex", "meaning"}, f"[params.{pname}]")
            lower, upper, lo_open, hi_open, integer = self._domain(t.get("domain", "real"))
            try:
                out[pname] = Param(pname, lower, upper, lo_open, hi_open, integer,
                                   self._opt(t, "latex"), self._opt(t, "meaning"))
            except InputError as e:
                raise self.fail(str(e), pname) from None
        return out

    def _domain(self, text: object) -> tuple[Fraction | None, Fraction | None, bool, bool, bool]:
        """``real``, ``integer``, or an interval such as ``(0, 1]``, ``[1, inf)``, optionally
        after ``integer``."""
        if not isinstance(text, str):
            raise self.fail("a domain is a string such as \"(0, 1]\"")
        t = text.strip()
        integer = t.startswith("integer")
        t = t.removeprefix("integer").strip()
        if t in ("", "real"):
            return None, None, False, False, integer
        if len(t) < 5 or t[0] not in "([" or t[-1] not in ")]" or t.count(",") != 1:
            raise self.fail(f"domain {text!r}: write real, integer or an interval like (0, 1]",
                            text)
        lo_text, hi_text = (x.strip() for x in t[1:-1].split(","))
        try:
            lo = None if lo_text == "-inf" else parse_number(lo_text)
            hi = None if hi_text == "inf" else parse_number(hi_text)
        except ExprError as e:
            raise self.fail(f"domain {text!r}: {e}", text) from None
        return lo, hi, t[0] == "(", t[-1] == ")", integer

    def _result(self, raw: object, params: dict[str, Param]) -> Chain:
        t = self._table(raw, "[[result]]")
        rid = self._str(t, "id", "[[result]]")
        self.goto("id", rid)
        self._known(t, {"id", "title", "statement", "location", "params", "step"},
                    f"result {rid}")
        own = self._params(self._table(t.get("params", {}), f"[result.params] of {rid}"))
        params = {**params, **own}  # a result may declare its own (same name, other domain)
        steps = [self._step(s, rid, params) for s in self._array(t.get("step"), "[[result.step]]")]
        try:
            return Chain(rid, self._str(t, "title", rid), self._opt(t, "statement"),
                         self._opt(t, "location"), tuple(steps))
        except InputError as e:
            raise self.fail(f"result {rid}: {e}", rid) from None

    def _step(self, raw: object, rid: str, params: dict[str, Param]) -> Step:
        t = self._table(raw, "[[result.step]]")
        sid = self._str(t, "id", "[[result.step]]")
        self.step_lines[(rid, sid)] = self.goto("id", sid)
        self._known(t, {"id", "kind", "location", "quote", "repairs", "explanation", "lemmas",
                        "finding", "obligation"}, f"step {sid}")
        kind = self._enum(StepKind, t.get("kind", "faithful"), f"step {sid}: kind")
        obs = [self._obligation(o, params)
               for o in self._array(t.get("obligation", []), "[[result.step.obligation]]",
                                    empty=True)]
        try:
            return Step(sid, self._location(t.get("location"), sid), self._opt(t, "quote"), kind,
                        tuple(obs), t.get("repairs"), self._opt(t, "explanation"),
                        tuple(self._strs(t.get("lemmas", []), f"step {sid}: lemmas")),
                        self._finding(t.get("finding"), sid))
        except InputError as e:
            raise self.fail(f"step {sid}: {e}", sid) from None

    def _location(self, raw: object, sid: str) -> Location:
        t = self._table(raw, f"step {sid}: location")
        self._known(t, {"section", "anchor", "ref", "note", "repaired"}, f"step {sid}: location")
        anchor = self._enum(Anchor, t.get("anchor", "statement"), f"step {sid}: anchor")
        repaired = t.get("repaired", False)
        if not isinstance(repaired, bool):
            raise self.fail(f"step {sid}: location: 'repaired' is true or false")
        try:
            return Location(self._str(t, "section", f"step {sid}: location"), anchor,
                            self._opt(t, "ref"), self._opt(t, "note"), repaired)
        except InputError as e:
            raise self.fail(f"step {sid}: {e}", sid) from None

    def _finding(self, raw: object, sid: str) -> Finding | None:
        if raw is None:
            return None
        t = self._table(raw, f"step {sid}: finding")
        self._known(t, {"severity", "kind", "proves", "consequence_of"}, f"step {sid}: finding")
        return Finding(self._enum(Severity, t.get("severity"), f"step {sid}: severity"),
                       self._enum(FindingKind, t.get("kind", "refuted"), f"step {sid}: kind"),
                       self._opt(t, "proves"), self._opt(t, "consequence_of"))

    def _obligation(self, raw: object, params: dict[str, Param]) -> Obligation:
        t = self._table(raw, "[[result.step.obligation]]")
        oid = self._str(t, "id", "[[result.step.obligation]]")
        self.goto("id", oid)
        self._known(t, {"id", "params", "claim", "hypotheses", "definitions", "witnesses",
                        "facts", "hints", "text"}, f"obligation {oid}")
        used = []
        for p in self._strs(t.get("params", []), f"obligation {oid}: params"):
            if p not in params:
                raise self.fail(f"obligation {oid}: parameter {p!r} is not declared in [params]",
                                p)
            used.append(params[p])
        names: dict[str, sp.Basic] = {p.name: p.symbol for p in used}
        for w in self._strs(t.get("witnesses", []), f"obligation {oid}: witnesses"):
            self._fresh(names, w, oid)
            names[w] = sp.Symbol(w, real=True)
        defs = []
        for pair in self._array(t.get("definitions", []), f"obligation {oid}: definitions",
                                empty=True):
            if not (isinstance(pair, list) and len(pair) == 2 and all(
                    isinstance(x, str) for x in pair)):
                raise self.fail(f"obligation {oid}: a definition is a pair [\"name\", \"formula\"]")
            value = self._formula(pair[1], names, oid)
            self._fresh(names, pair[0], oid)
            names[pair[0]] = sp.Symbol(pair[0], real=True)
            defs.append((names[pair[0]], value))
        return self._build(t, oid, used, names, defs)

    def _build(self, t: Mapping[str, Any], oid: str, used: list[Param],
               names: dict[str, sp.Basic], defs: list[tuple[sp.Basic, sp.Basic]]) -> Obligation:
        claim = self._formula(t.get("claim"), names, oid)
        hyps = [self._formula(h, names, oid)
                for h in self._strs(t.get("hypotheses", []), f"obligation {oid}: hypotheses")]
        facts = [self._fact(f, names, oid)
                 for f in self._array(t.get("facts", []), f"obligation {oid}: facts", empty=True)]
        hints = [self._hint(h, oid) for h in self._array(t.get("hints", []),
                                                          f"obligation {oid}: hints", empty=True)]
        try:
            return Obligation(oid, claim, tuple(used), tuple(hyps), tuple(defs), tuple(facts),
                              self._opt(t, "text"), tuple(hints))
        except InputError as e:
            raise self.fail(f"obligation {oid}: {e}", oid) from None

    def _fact(self, raw: object, names: Mapping[str, sp.Basic], oid: str) -> Any:
        t = self._table(raw, f"obligation {oid}: fact")
        self._known(t, {"lemma", "args"}, f"obligation {oid}: fact")
        lemma = self._str(t, "lemma", f"obligation {oid}: fact")
        if lemma not in LEMMAS:
            raise self.fail(f"obligation {oid}: unknown lemma {lemma!r}; the library has "
                            f"{', '.join(sorted(LEMMAS))}", lemma)
        args = self._table(t.get("args", {}), f"obligation {oid}: lemma {lemma}: args")
        mapping = {k: self._formula(v, names, oid) for k, v in args.items()}
        try:
            return LEMMAS[lemma].instance(**mapping)
        except InputError as e:
            raise self.fail(f"obligation {oid}: {e}", lemma) from None

    def _hint(self, raw: object, oid: str) -> tuple[tuple[str, Fraction], ...]:
        t = self._table(raw, f"obligation {oid}: hint")
        out = []
        for k, v in t.items():
            if not isinstance(v, str | int) or isinstance(v, bool):
                raise self.fail(f"obligation {oid}: hint {k} must be a number written as a "
                                "string (\"1/3\", \"0.25\") or an integer")
            out.append((k, self._rational(str(v), oid)))
        return tuple(out)

    def _rational(self, text: str, oid: str) -> Fraction:
        num, _, den = text.partition("/")
        try:
            value = parse_number(num) / (parse_number(den) if den else 1)
        except (ExprError, ZeroDivisionError) as e:
            raise self.fail(f"obligation {oid}: hint value {text!r}: {e}", text) from None
        return value

    def _formula(self, text: object, names: Mapping[str, sp.Basic], oid: str) -> sp.Basic:
        if not isinstance(text, str):
            raise self.fail(f"obligation {oid}: a formula must be a string")
        try:
            return parse_expr(text, names)
        except ExprError as e:
            raise self.fail(f"obligation {oid}: {e}", text, e.column - 1) from None

    # -- small checks ------------------------------------------------------------------
    def _fresh(self, names: Mapping[str, sp.Basic], new: str, oid: str) -> None:
        if not new.isidentifier() or new.startswith("_"):
            raise self.fail(f"obligation {oid}: {new!r} is not a name", new)
        if new in names:
            raise self.fail(f"obligation {oid}: name {new!r} is declared twice", new)

    def _table(self, raw: object, what: str) -> Mapping[str, Any]:
        if not isinstance(raw, dict):
            raise self.fail(f"{what}: expected a table")
        return raw

    def _array(self, raw: object, what: str, *, empty: bool = False) -> list[Any]:
        if raw is None and not empty:
            raise self.fail(f"{what}: missing")
        if raw is None:
            return []
        if not isinstance(raw, list):
            raise self.fail(f"{what}: expected an array")
        if len(raw) > MAX_ITEMS:
            raise self.fail(f"{what}: more than {MAX_ITEMS} entries")
        return raw

    def _strs(self, raw: object, what: str) -> list[str]:
        items = self._array(raw, what, empty=True)
        if not all(isinstance(x, str) for x in items):
            raise self.fail(f"{what}: expected strings")
        return items

    def _str(self, t: Mapping[str, Any], key: str, what: str) -> str:
        v = t.get(key)
        if not isinstance(v, str) or not v:
            raise self.fail(f"{what}: '{key}' must be a non-empty string")
        return v

    def _opt(self, t: Mapping[str, Any], key: str) -> str:
        v = t.get(key, "")
        if not isinstance(v, str):
            raise self.fail(f"'{key}' must be a string", key)
        return v

    def _enum(self, kind: Any, value: object, what: str) -> Any:
        try:
            return kind(value)
        except ValueError:
            raise self.fail(f"{what}: {value!r} is not one of "
                            f"{', '.join(repr(k.value) for k in kind)}", value) from None

    def _known(self, t: Mapping[str, Any], keys: set[str], what: str) -> None:
        unknown = sorted(set(t) - keys)
        if unknown:
            raise self.fail(f"{what}: unknown key {unknown[0]!r} (known: "
                            f"{', '.join(sorted(keys))})", unknown[0])
