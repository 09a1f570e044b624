"""The proof cache: obligation reports stored by what the obligation says, the engines and the policy.

An entry's key is the SHA-256 of a canonical text: the obligation's formulas and domains (its
``sympy.srepr`` forms: what it says, not what it is called), the certified point it was checked
from, the versions of every solver library and a digest of bebcheck's own engine and audit
code, and the policy's fields that decide answers.  Change any of them and the key changes:
nothing is ever invalidated by hand.  An entry is one JSON file written whole (a temporary
file, then a rename), carrying its key and a digest of its payload; one that does not parse,
is for another key, fails its digest or has the wrong shape is ignored (and replaced when the
obligation is checked again).  The runner certifies a hit's points again before using it.

The cache is as trustworthy as the directory it lives in: a PROVED read from it is not proved
again.  ``--no-cache`` audits from scratch.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import stat
import sys
import tempfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from fractions import Fraction
from pathlib import Path
from typing import Any

import sympy as sp

from bebcheck.checks.engines.result import EngineResult, Verdict, Witness
from bebcheck.symbolic.obligation import Obligation

from .policy import Policy
from .results import ObligationReport

__all__ = ["CACHE_DIR_ENV", "FORMAT", "MAX_ENTRY", "NO_CACHE_ENV", "ProofCache", "cacheable",
           "canonical_form",
           "default_directory", "environment_digest"]

FORMAT = "bebcheck-proof-cache/1"
CACHE_DIR_ENV = "BEBCHECK_CACHE_DIR"
"""Where the cache lives (default: the user's cache directory, e.g. ``~/.cache/bebcheck``)."""
NO_CACHE_ENV = "BEBCHECK_NO_CACHE"
"""Set (to anything but empty or ``0``) to turn the cache off, like ``--no-cache``."""
_LIBRARIES = ("z3-solver", "cvc5", "sympy", "python-flint", "mpmath")
_DECIDING = ("cache", "decide", "policy", "results", "runner")
"""The audit's modules that shape an obligation's report (with every engine module and the
vocabulary: lemma statements, obligations, domains)."""


def default_directory() -> Path | None:
    """The cache directory the environment asks for; ``None`` when the cache is off."""
    if os.environ.get(NO_CACHE_ENV, "") not in ("", "0"):
        return None
    if os.environ.get(CACHE_DIR_ENV):
        return Path(os.environ[CACHE_DIR_ENV])
    import platformdirs

    return Path(platformdirs.user_cache_dir("bebcheck", appauthor=False))


def environment_digest(policy: Policy) -> str:
    """What besides the obligation decides its report: libraries, bebcheck's code, policy."""
    from importlib import metadata  # (only when the cache is on)

    parts = [FORMAT]
    for dist in ("bebcheck", *_LIBRARIES):
        try:
            parts.append(f"{dist}={metadata.version(dist)}")
        except metadata.PackageNotFoundError:
            parts.append(f"{dist}=absent")
    here = Path(__file__).resolve().parent.parent  # bebcheck.checks
    # bebcheck.symbolic: the lemmas' statements, obligations, domains
    vocabulary = Path(sys.modules[Obligation.__module__].__file__ or "").resolve().parent
    for src in (sorted((here / "engines").glob("*.py"))
                + [here / "audit" / f"{m}.py" for m in _DECIDING]
                + sorted(vocabulary.glob("*.py"))):
        name = f"{src.parent.name}/{src.name}"
        parts.append(f"{name}:{hashlib.sha256(src.read_bytes()).hexdigest()}")
    parts.append(repr((policy.engines, policy.min_engines, policy.timeout_ms,
                       policy.arb_boxes, policy.search_samples)))
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def canonical_form(ob: Obligation, sides: Sequence[str] | None = None) -> str:
    """What an obligation says (formulas, domains, lemma instances, hints), as one text: the
    same for the same mathematics whatever the names, in every process (a test compares it
    under several ``PYTHONHASHSEED`` values).  It includes its side obligations' forms: an
    entry holds their reports too (``sides``: their forms, if already known)."""
    if sides is None:
        sides = [canonical_form(side) for side in ob.side_obligations()]
    return "\n".join([
        *(f"side {k}: {form}" for k, form in enumerate(sides)),
        _repr(ob.expanded_claim()),
        *(_repr(h) for h in ob.expanded_hypotheses(with_facts=True)),
        *(repr(p.describe()) for p in ob.params),
        *(f"{f.lemma.name}:{[(k, _repr(v)) for k, v in f.mapping]}:"
          f"{[_repr(c) for c in f.side_conditions]}:{f.lemma.premise}" for f in ob.facts),
        repr(ob.hints),
    ])


@functools.lru_cache(maxsize=1 << 16)
def _repr(e: sp.Basic) -> str:
    """``srepr`` in the arguments' own order: sympy sorts them canonically when it builds an
    expression (by structure, not by hash), so re-sorting for printing is wasted work.  Side
    obligations repeat their parent's hypotheses: each is printed once."""
    return sp.srepr(e, order="none")


class ProofCache:
    """Obligation reports on disk, one JSON file per key; every failure is a miss."""

    def __init__(self, directory: Path, policy: Policy) -> None:
        self.directory = directory / FORMAT.replace("/", "-")
        self.salt = environment_digest(policy)
        self.hits = self.misses = self.ignored = 0

    def key(self, form: str, known: Mapping[str, Fraction] | None = None) -> str:
        """The entry of an obligation's ``canonical_form`` checked from point ``known``."""
        start = repr(sorted((k, str(v)) for k, v in (known or {}).items()))
        return hashlib.sha256(f"{self.salt}\n{form}\n{start}".encode()).hexdigest()

    def _path(self, key: str) -> Path:
        return self.directory / key[:2] / f"{key}.json"

    def get(self, key: str, ob: Obligation, sides: Sides | None = None
            ) -> ObligationReport | None:
        """The stored report for ``ob``, or ``None``; ``sides`` gives an obligation's side
        obligations (default ``Obligation.side_obligations``)."""
        raw = _read(self._path(key))
        if raw is None:
            self.misses += 1
            return None
        try:
            rep = _load(raw, key, ob, sides or Obligation.side_obligations)
        except Exception:  # noqa: BLE001 - any entry that cannot be read back is a miss
            rep = None
        if rep is None:
            self.ignored += 1
            return None
        self.hits += 1
        return rep

    def reject(self) -> None:
        """The caller found a hit wrong (a point that does not certify): count it ignored."""
        self.hits -= 1
        self.ignored += 1

    def put(self, key: str, rep: ObligationReport) -> None:
        """Store a report unless a solver's answer in it depends on the moment (a timeout, a
        crash: the next run asks again); a cache that cannot be written is only slower."""
        if not cacheable(rep):
            return
        path = self._path(key)
        payload = _dump(rep)
        body = json.dumps(payload, sort_keys=True, ensure_ascii=True)
        entry = {"format": FORMAT, "key": key,
                 "sha256": hashlib.sha256(body.encode()).hexdigest(), "payload": payload}
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".json")
            try:
                with os.fdopen(fd, "w", encoding="ascii") as f:
                    json.dump(entry, f, sort_keys=True)
                os.replace(tmp, path)
            except BaseException:
                Path(tmp).unlink(missing_ok=True)
                raise
        except OSError:
            pass


Sides = Callable[[Obligation], list[Obligation]]

MAX_ENTRY = 1 << 24
"""The largest entry read (bytes): anything bigger is not one of ours."""


def _read(path: Path) -> bytes | None:
    """An entry's bytes: a regular file (no FIFO, device or symbolic link) of at most
    ``MAX_ENTRY`` bytes, or ``None``."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError:
        return None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_ENTRY:
            return None
        with os.fdopen(fd, "rb", closefd=False) as f:
            data = f.read(MAX_ENTRY + 1)
        return data if len(data) <= MAX_ENTRY else None
    except OSError:
        return None
    finally:
        os.close(fd)


def cacheable(rep: ObligationReport) -> bool:
    """Whether a report holds only answers that do not depend on the moment: no timeout,
    crash, solver error or wall-clock ``unknown`` anywhere in it (a step budget is fine)."""
    for r in rep.results:
        reason = r.reason.lower()
        if reason.startswith(("timeout", "crash", "error")) or "not available" in reason:
            return False
        if reason.startswith("unknown") and "step budget" not in reason:
            return False
    return all(cacheable(s) for s in rep.sides)


def _fractions(d: Mapping[str, object] | None) -> list[list[str]] | None:
    """A mapping as ``[name, value]`` pairs: JSON objects would lose the order of the names."""
    return None if d is None else [[k, str(v)] for k, v in d.items()]


def _pairs(d: Any) -> dict[str, str]:
    if not isinstance(d, list) or not all(isinstance(p, list) and len(p) == 2 for p in d):
        raise TypeError("not a list of pairs")
    return {str(k): str(v) for k, v in d}


def _unfractions(d: Any) -> dict[str, Fraction] | None:
    return None if d is None else {k: Fraction(v) for k, v in _pairs(d).items()}


def _dump(rep: ObligationReport) -> dict[str, Any]:
    w = rep.witness
    return {
        "id": rep.obligation.id, "text": rep.obligation.text,
        "verdict": rep.verdict.value, "proved_by": list(rep.proved_by), "reason": rep.reason,
        "results": [{"engine": r.engine, "verdict": r.verdict.value, "seconds": r.seconds,
                     "reason": r.reason, "model": _fractions(r.model)} for r in rep.results],
        "witness": None if w is None else {
            "values": _fractions(w.values), "claim_sides": _fractions(w.claim_sides),
            "source": w.source, "not_applying": list(w.not_applying)},
        "hypotheses_point": _fractions(rep.hypotheses_point),
        "sides": [_dump(s) for s in rep.sides],
        "smtlib": rep.smtlib, "abstraction": _fractions(rep.abstraction),
        "seconds": rep.seconds,
        "premises": list(rep.premises),
    }


def _load(raw: bytes, key: str, ob: Obligation, sides: Sides) -> ObligationReport | None:
    entry = json.loads(raw.decode("utf-8"))
    if not isinstance(entry, dict) or entry.get("format") != FORMAT or entry.get("key") != key:
        return None
    body = json.dumps(entry["payload"], sort_keys=True, ensure_ascii=True)
    if hashlib.sha256(body.encode()).hexdigest() != entry.get("sha256"):
        return None
    return _report(entry["payload"], ob, sides)


def _report(p: dict[str, Any], ob: Obligation, sides_of: Sides) -> ObligationReport | None:
    """The report in payload ``p`` for ``ob``; its side obligations carry the names they had
    when checked (a side decided as the same obligation as an earlier one keeps that one's)."""
    fresh = sides_of(ob)
    if len(fresh) != len(p["sides"]):
        return None
    sides = [s if (s.id, s.text) == (q["id"], q["text"])
             else replace(s, id=str(q["id"]), text=str(q["text"]))
             for s, q in zip(fresh, p["sides"], strict=True)]
    side_reports = [_report(q, s, sides_of) for q, s in zip(p["sides"], sides, strict=True)]
    if any(s is None for s in side_reports):
        return None
    w = p["witness"]
    witness = None if w is None else Witness(
        values=_unfractions(w["values"]) or {}, claim_sides=_pairs(w["claim_sides"]),
        source=str(w["source"]), not_applying=tuple(w["not_applying"]))
    results = [EngineResult(str(r["engine"]), Verdict(r["verdict"]), float(r["seconds"]),
                            str(r["reason"]), model=_unfractions(r["model"]))
               for r in p["results"]]
    return ObligationReport(
        ob, Verdict(p["verdict"]), [str(e) for e in p["proved_by"]], results, str(p["reason"]),
        witness=witness, hypotheses_point=_unfractions(p["hypotheses_point"]),
        sides=[s for s in side_reports if s is not None], smtlib=str(p["smtlib"]),
        abstraction=_pairs(p["abstraction"]),
        seconds=0.0, premises=[str(x) for x in p["premises"]])
