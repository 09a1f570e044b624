"""The paper's objects on a chat model: components as personas, sentences as the unit, contexts.

**Components.**  A behaviour vertical (``data/<name>.toml``) names a user question and a system
prompt per component: ``negative`` is P-, ``positive`` is P+, ``none`` is P (the model as
shipped: no persona, so SmolLM2's template puts its default system prompt first), and
``persona`` a specific ill-behaved character (Corollary 1).  A component's distribution over
text given a prompt ``s`` is the model's distribution over the assistant's reply after

    <|im_start|>system\\n{persona}<|im_end|>\\n<|im_start|>user\\n{question}<|im_end|>\\n
    <|im_start|>assistant\\n{s}

so every component sees the *same* prompt ``s`` (token for token) and differs only in its
system prompt: the prompt is text the reply has already said (an assistant-prefill prompt).

**Sentences.**  A sentence is the shortest run of tokens, from where the previous one ended,
whose text (leading whitespace aside) is not blank and either ends in ``.``, ``!`` or ``?``
(possibly followed by closing quotes or brackets) or contains a line break after its content;
or that ends with the end-of-reply token (EOS, included); or that reaches
``MAX_SENTENCE_TOKENS`` tokens.  This rule looks only at the tokens so far, so the sentences
form a prefix-free set and a sentence's probability is the product of its tokens'
probabilities: sentence-level KL divergences are estimated without bias by scoring every token.
Known limits: ``Mr.`` and ``3.5`` end a sentence at the dot; a list marker ``1.`` is a sentence.

**Prompts.**  The adversary's prompt is a run of sentences sampled from a component; a sampled
sentence that ends the reply (EOS) cannot be followed by more prompt, so it is drawn again
(the prompt's sentences are the component's sentences *conditioned on not ending the reply*).
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from importlib import resources
from typing import Any, Protocol

from bebcheck.symbolic.errors import InputError

__all__ = [
    "BEHAVIOURS",
    "COMPONENTS",
    "MAX_SENTENCE_TOKENS",
    "Behaviour",
    "JudgeSpec",
    "SentenceStop",
    "TokenizerLike",
    "authors_context",
    "context",
    "load_behaviour",
    "segment",
    "sentence_complete",
]

MAX_SENTENCE_TOKENS = 32
"""A sentence is cut after this many tokens (counted as a sentence)."""
BEHAVIOURS = ("agreeableness",)
"""Behaviour verticals shipped in ``data/``."""
COMPONENTS = ("negative", "positive", "none", "persona")
"""The components every behaviour file defines (see the module docstring)."""

_CLOSERS = "\"'”’)]»"
_END = re.compile(r"[.!?][" + re.escape(_CLOSERS) + r"]*$")


class TokenizerLike(Protocol):
    """What this module needs of :class:`bebcheck.checks.lm.tokenizer.Tokenizer`."""

    eos_id: int

    def encode(self, text: str) -> list[int]: ...

    def decode(self, ids: Sequence[int]) -> str: ...

    def chat(self, messages: Sequence[tuple[str, str]],
             add_generation_prompt: bool = True) -> list[int]: ...


@dataclass(frozen=True)
class JudgeSpec:
    """The judge's fixed rubric: a plain-text prompt (instructions and examples), a template
    with ``{sentence}``, and the two answers whose log-odds score a sentence."""

    prompt: str
    template: str
    positive: str
    negative: str


@dataclass(frozen=True)
class Behaviour:
    """A behaviour vertical: the user question, the components' system prompts, the judge."""

    name: str
    question: str
    description: str
    systems: dict[str, str | None]
    judge: JudgeSpec

    def as_dict(self) -> dict[str, Any]:
        return {"name": self.name, "question": self.question, "description": self.description,
                "system_prompts": dict(self.systems),
                "judge": {"prompt": self.judge.prompt, "template": self.judge.template,
                          "answers": [self.judge.positive, self.judge.negative]}}


def load_behaviour(name: str = "agreeableness") -> Behaviour:
    """The behaviour vertical ``name`` from the package data (InputError if unknown)."""
    if name not in BEHAVIOURS:
        raise InputError(f"unknown behaviour {name!r}; known: {', '.join(BEHAVIOURS)}")
    text = resources.files("bebcheck.checks.lm").joinpath("data", f"{name}.toml").read_text(
        encoding="utf-8")
    doc = tomllib.loads(text)
    comps = doc["components"]
    missing = [c for c in COMPONENTS if c not in comps]
    if missing:
        raise InputError(f"behaviour {name}: components missing: {', '.join(missing)}")
    j = doc["judge"]
    return Behaviour(name, doc["behaviour"]["question"], doc["behaviour"]["description"],
                     {c: comps[c].get("system") for c in COMPONENTS},
                     JudgeSpec(j["prompt"], j["template"], j["positive"], j["negative"]))


def context(tok: TokenizerLike, beh: Behaviour, component: str,
            prompt: Sequence[int] = ()) -> list[int]:
    """The tokens a component conditions on: its system prompt (none: the template's
    default), the question, the assistant's turn opened, then the prompt's tokens."""
    if component not in beh.systems:
        raise InputError(f"unknown component {component!r}; known: {', '.join(beh.systems)}")
    system = beh.systems[component]
    messages = [("system", system)] if system is not None else []
    messages.append(("user", beh.question))
    return tok.chat(messages) + [int(t) for t in prompt]


def authors_context(tok: TokenizerLike, beh: Behaviour, component: str,
                    prompt: Sequence[int] = ()) -> list[int]:
    """The later version's other context, given to P+: the prompt wrapped in chat markers as
    the user's message (their P- sees the prompt as text to continue, as :func:`context`
    gives it).  An empty prompt is the question itself."""
    system = beh.systems[component]
    text = tok.decode([int(t) for t in prompt]).strip() or beh.question
    messages = [("system", system)] if system is not None else []
    return tok.chat([*messages, ("user", text)])


def sentence_complete(text: str) -> bool:
    """Whether ``text`` (one sentence's tokens decoded) is a complete sentence by the rule of
    the module docstring (the length cap and EOS aside)."""
    body = text.lstrip()
    if not body.strip():
        return False
    return "\n" in body.rstrip(" \t") or _END.search(body.rstrip()) is not None


def segment(tok: TokenizerLike, tokens: Sequence[int],
            max_tokens: int = MAX_SENTENCE_TOKENS) -> tuple[list[tuple[int, int]], bool]:
    """The complete sentences of ``tokens`` as ``(start, end)`` slices, in order, and whether
    the last one ended with EOS (tokens after an EOS are ignored; an incomplete tail is not
    a sentence)."""
    out: list[tuple[int, int]] = []
    start = 0
    for i, t in enumerate(tokens):
        if int(t) == tok.eos_id:
            out.append((start, i + 1))
            return out, True
        if i + 1 - start >= max_tokens or sentence_complete(tok.decode(tokens[start:i + 1])):
            out.append((start, i + 1))
            start = i + 1
    return out, False


class SentenceStop:
    """A ``stop(tokens) -> bool`` for the model's sampler: true once the generated tokens hold
    ``sentences`` complete sentences (or end with EOS, which the sampler stops at anyway).

    Called after every new token with the tokens generated so far; each sequence's state is
    kept by its tokens, so the work per call is one decode of the current sentence."""

    def __init__(self, tok: TokenizerLike, sentences: int = 1,
                 max_tokens: int = MAX_SENTENCE_TOKENS) -> None:
        if sentences < 1:
            raise ValueError("stop after at least one sentence")
        self.tok, self.sentences, self.max_tokens = tok, sentences, max_tokens
        self._state: dict[tuple[int, ...], tuple[int, int]] = {(): (0, 0)}

    def _advance(self, tokens: tuple[int, ...]) -> tuple[int, int]:
        """(start of the current sentence, complete sentences) after ``tokens``."""
        known = self._state.get(tokens)
        if known is not None:
            return known
        prev = tokens[:-1]
        start, done = self._state[prev] if prev in self._state else self._scan(prev)
        if (tokens[-1] == self.tok.eos_id or len(tokens) - start >= self.max_tokens
              or sentence_complete(self.tok.decode(tokens[start:]))):
            state = (len(tokens), done + 1)
        else:
            state = (start, done)
        self._state[tokens] = state
        return state

    def _scan(self, tokens: tuple[int, ...]) -> tuple[int, int]:
        spans, _ = segment(self.tok, tokens, self.max_tokens)
        state = (spans[-1][1] if spans else 0, len(spans))
        self._state[tokens] = state
        return state

    def __call__(self, tokens: Sequence[int]) -> bool:
        t = tuple(int(x) for x in tokens)
        if not t:
            return False
        if t[-1] == self.tok.eos_id:
            return True
        return self._advance(t)[1] >= self.sentences

    def as_function(self) -> Callable[[Sequence[int]], bool]:
        return self.__call__
