"""The behaviour score B on sentences: the model as a judge with a fixed rubric, calibrated.

The judge reads one sentence after the fixed rubric of the behaviour file (``[judge]``: plain
text, instructions and four labelled examples, no chat template) and its *margin* is

    d(s) = log P(positive answer | rubric, s) - log P(negative answer | rubric, s)

(for agreeableness: the next token " kind" against " rude" after ``Sentence: {s}\nTone:``).
The rubric, its tokens and the sentence's are concatenated as separately encoded pieces.

The labelled set ``data/<behaviour>_labelled.csv`` holds sentences labelled +1 (positive
behaviour), -1 (negative) and 0 (neutral: neither).  Two logistic regressions on the margins
give ``p+(d) = P(label = +1 | d)`` and ``p-(d) = P(label = -1 | d)``, and the score is

    B(s) = p+(d(s)) - p-(d(s))  in (-1, 1),

the expected label: near +1 or -1 where the judge is sure, near 0 for the neutral sentences
(without the neutral class, a neutral sentence, whose margin is close to a rude one's, would
score nearly -1).  Reported: the accuracy of sign(B) on the +1/-1 sentences, the share of
neutral sentences with |B| < 1/2, the mean B per label, each also 5-fold cross-validated
(each fold scored by the fits on the other four): the judge is only as good as they say.

The labelled set's margins (the judge's one costly step, minutes on SmolLM2) are kept in the
user's cache directory (``BEBCHECK_CACHE_DIR`` moves it, ``BEBCHECK_NO_CACHE=1`` turns it off),
keyed by the model's name, the rubric and the sentences; an entry is used only if the margins
of its first ``PROBE`` sentences, computed again, agree with it to 1e-6 (so other weights or
another runner recompute everything).
"""

from __future__ import annotations

import contextlib
import csv
import hashlib
import io
import json
import os
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from bebcheck.symbolic.errors import InputError

from .personas import Behaviour, TokenizerLike

__all__ = ["FOLDS", "PROBE", "Calibration", "Judge", "Logistic", "calibrate", "cross_validated",
           "judge_metrics", "labelled_set"]

FOLDS = 5
"""Folds of the cross-validated accuracy."""
PROBE = 3
"""Labelled sentences whose margins are computed again to validate a cached entry."""
_CHUNK = 32
"""Continuations scored per call to the model (bounds the runner's memory)."""


def labelled_set(name: str) -> tuple[list[str], NDArray[np.int64]]:
    """The labelled sentences of a behaviour and their labels (+1, 0 neutral, -1)."""
    text = resources.files("bebcheck.checks.lm").joinpath(
        "data", f"{name}_labelled.csv").read_text(encoding="utf-8")
    rows = list(csv.DictReader(io.StringIO(text)))
    labels = np.array([int(r["label"]) for r in rows], dtype=np.int64)
    if not set(labels.tolist()) <= {-1, 0, 1}:
        raise InputError(f"{name}_labelled.csv: labels must be +1, 0 or -1")
    return [r["sentence"] for r in rows], labels


@dataclass(frozen=True)
class Logistic:
    """``P(y = 1 | d) = sigmoid(a d + b)``."""

    a: float
    b: float

    def prob(self, margins: ArrayLike) -> NDArray[np.float64]:
        return 1.0 / (1.0 + np.exp(-(self.a * np.asarray(margins, dtype=np.float64) + self.b)))


def calibrate(margins: ArrayLike, labels: ArrayLike, *, ridge: float = 1e-3,
              iterations: int = 100) -> Logistic:
    """Logistic regression of ``labels`` (> 0 is a success) on ``margins`` by Newton's method,
    with a small ridge penalty on the slope so that separable data still gives a finite fit."""
    d = np.asarray(margins, dtype=np.float64)
    y = (np.asarray(labels) > 0).astype(np.float64)
    if d.shape != y.shape or d.size < 2:
        raise ValueError("calibration needs matching margins and labels, at least two")
    x = np.column_stack([d, np.ones_like(d)])
    w = np.zeros(2)
    pen = np.diag([ridge, 1e-9])
    for _ in range(iterations):
        p = 1.0 / (1.0 + np.exp(-(x @ w)))
        grad = x.T @ (p - y) + pen @ w
        hess = (x * (p * (1 - p))[:, None]).T @ x + pen
        step = np.linalg.solve(hess, grad)
        w -= step
        if float(np.abs(step).max()) < 1e-10:
            break
    return Logistic(float(w[0]), float(w[1]))


@dataclass(frozen=True)
class Calibration:
    """``B = p+(d) - p-(d)``: the expected label under two logistic fits."""

    positive: Logistic
    negative: Logistic

    @classmethod
    def fit(cls, margins: ArrayLike, labels: ArrayLike) -> Calibration:
        y = np.asarray(labels)
        return cls(calibrate(margins, np.where(y > 0, 1, -1)),
                   calibrate(margins, np.where(y < 0, 1, -1)))

    def score(self, margins: ArrayLike) -> NDArray[np.float64]:
        return self.positive.prob(margins) - self.negative.prob(margins)


def judge_metrics(b: ArrayLike, labels: ArrayLike) -> dict[str, float | None]:
    """Accuracy of sign(B) on the +1/-1 sentences, share of neutral ones with |B| < 1/2,
    mean B per label (None where a label has no sentence)."""
    bb, y = np.asarray(b, dtype=np.float64), np.asarray(labels)
    polar = y != 0

    def mean(mask: NDArray[np.bool_], x: NDArray[np.float64]) -> float | None:
        return float(x[mask].mean()) if mask.any() else None

    return {"accuracy": mean(polar, (np.sign(bb) == y).astype(float)),
            "neutral_within_half": mean(~polar, (np.abs(bb) < 0.5).astype(float)),
            "mean_b_positive": mean(y > 0, bb), "mean_b_negative": mean(y < 0, bb),
            "mean_b_neutral": mean(y == 0, bb)}


def cross_validated(margins: ArrayLike, labels: ArrayLike,
                    folds: int = FOLDS) -> dict[str, float | None]:
    """:func:`judge_metrics` of held-out scores (sentence ``i`` in fold ``i % folds``, scored by
    the calibration fitted on the other folds)."""
    d = np.asarray(margins, dtype=np.float64)
    y = np.asarray(labels)
    fold = np.arange(d.size) % folds
    held = np.empty(d.size)
    for k in range(folds):
        test = fold == k
        held[test] = Calibration.fit(d[~test], y[~test]).score(d[test])
    return judge_metrics(held, y)


def _cache_file(key_parts: list[Any]) -> Path | None:
    """Where the labelled set's margins are kept (None: caching is off)."""
    if os.environ.get("BEBCHECK_NO_CACHE", "") not in ("", "0"):
        return None
    base = os.environ.get("BEBCHECK_CACHE_DIR")
    if not base:
        import platformdirs

        base = platformdirs.user_cache_dir("bebcheck", appauthor=False)
    key = hashlib.sha256(json.dumps(key_parts, ensure_ascii=True).encode()).hexdigest()
    return Path(base) / "lm-judge" / f"{key}.json"


def _read_cached(path: Path | None, n: int) -> NDArray[np.float64] | None:
    if path is None or not path.is_file():
        return None
    try:
        values = np.array(json.loads(path.read_text(encoding="utf-8"))["margins"], float)
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return values if values.shape == (n,) and np.isfinite(values).all() else None


def _write_cached(path: Path | None, margins: NDArray[np.float64]) -> None:
    """Store whole (a temporary file, then a rename); a cache that cannot be written is no
    error."""
    if path is None:
        return
    with contextlib.suppress(OSError):
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".bebcheck-", suffix=".json")
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump({"margins": [float(x) for x in margins]}, fh)
        os.replace(tmp, path)


class Judge:
    """The model as a judge of one behaviour: margins of sentences, the calibrated score B."""

    def __init__(self, model: Any, beh: Behaviour) -> None:
        self.model = model
        self.beh = beh
        tok: TokenizerLike = model.tokenizer
        head, sep, tail = beh.judge.template.partition("{sentence}")
        if not sep:
            raise InputError(f"behaviour {beh.name}: the judge template has no {{sentence}}")
        self._prefix = tok.encode(beh.judge.prompt + head)  # shared by every sentence
        self._suffix = tok.encode(tail)
        self._answers = (tok.encode(beh.judge.positive), tok.encode(beh.judge.negative))
        self.calibration: Calibration | None = None
        self.report: dict[str, Any] = {}

    def margins(self, sentences: Sequence[str]) -> NDArray[np.float64]:
        """``d(s)`` for each sentence text (the log-odds of the two answers)."""
        tok: TokenizerLike = self.model.tokenizer
        conts: list[list[int]] = []
        for s in sentences:
            body = tok.encode(s.strip()) + self._suffix
            conts += [body + self._answers[0], body + self._answers[1]]
        lps: list[Any] = []
        for i in range(0, len(conts), _CHUNK):
            lps += self.model.score(self._prefix, conts[i:i + _CHUNK])
        n_pos, n_neg = len(self._answers[0]), len(self._answers[1])
        return np.array([float(np.sum(lps[2 * i][-n_pos:]) - np.sum(lps[2 * i + 1][-n_neg:]))
                         for i in range(len(sentences))], dtype=np.float64)

    def fit(self) -> dict[str, Any]:
        """Calibrate on the behaviour's labelled set; the report (metrics, fits, counts)."""
        texts, labels = labelled_set(self.beh.name)
        j = self.beh.judge
        path = _cache_file([getattr(self.model, "name", type(self.model).__name__), j.prompt,
                            j.template, j.positive, j.negative, texts])
        d = _read_cached(path, len(texts))
        cached = d is not None and bool(np.allclose(self.margins(texts[:PROBE]), d[:PROBE],
                                                    rtol=0, atol=1e-6))
        if d is None or not cached:
            d = self.margins(texts)
            _write_cached(path, d)
        self.calibration = Calibration.fit(d, labels)
        cal = self.calibration
        self.report = {
            "sentences": int(labels.size), "margins_from_cache": cached, "by_label": {
                str(k): int((labels == k).sum()) for k in (1, 0, -1)},
            **judge_metrics(cal.score(d), labels),
            "cross_validated": cross_validated(d, labels),
            "raw_accuracy": float((np.sign(d) == labels)[labels != 0].mean()),
            "fit": {"positive": [cal.positive.a, cal.positive.b],
                    "negative": [cal.negative.a, cal.negative.b]},
            "rule": "B(s) = sigmoid(a+ d(s) + b+) - sigmoid(a- d(s) + b-), d(s) = log P(positive"
                    " answer) - log P(negative answer) as the next token(s) after the rubric and"
                    " the sentence; fits as [a, b]",
        }
        return self.report

    def score_texts(self, sentences: Sequence[str]) -> NDArray[np.float64]:
        """B of each sentence text (calibrating first if needed)."""
        if self.calibration is None:
            self.fit()
        assert self.calibration is not None
        if not sentences:
            return np.zeros(0)
        return self.calibration.score(self.margins(sentences))

    def score_tokens(self, sentences: Sequence[Sequence[int]]) -> NDArray[np.float64]:
        """B of each sentence given as tokens (decoded, EOS and special tokens dropped; a
        sentence with no text left scores 0, neither kind nor rude)."""
        tok = self.model.tokenizer
        texts = [tok.decode([t for t in s if t != tok.eos_id]).strip() for s in sentences]
        out = np.zeros(len(texts))
        idx = [i for i, t in enumerate(texts) if t]
        if idx:
            out[idx] = self.score_texts([texts[i] for i in idx])
        return out
