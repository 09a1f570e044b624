"""The tokenizer of a GGUF model, rebuilt with the ``tokenizers`` library, and its ChatML template.

A GGUF file of a byte-level BPE model (``tokenizer.ggml.model = "gpt2"``) carries the vocabulary,
the merges, the token types (control tokens such as ``<|im_start|>`` are special), the BOS/EOS
ids, the name of the pre-tokenizer (``tokenizer.ggml.pre``) and the chat template as Jinja.
SmolLM2's pre-tokenizer ``smollm`` is llama.cpp's name for Hugging Face's
``Sequence([Digits(individual_digits=True), ByteLevel(add_prefix_space=False)])``.

The chat template is SmolLM2's ChatML: each message is
``<|im_start|>{role}\\n{content}<|im_end|>\\n``, a default system message is put first when the
conversation does not start with one, and the generation prompt is
``<|im_start|>assistant\\n``.  It is rendered here directly (no Jinja at run time); the default
system message is read from the template, and the test suite checks the rendering against
Jinja's where ``jinja2`` is installed.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from bebcheck.symbolic.errors import InputError

__all__ = ["CONTROL", "ROLES", "USER_DEFINED", "Tokenizer", "from_gguf_metadata"]

ROLES = ("system", "user", "assistant")
CONTROL = 3
"""GGUF token type of a control token (``<|im_start|>``); USER_DEFINED tokens are added too."""
USER_DEFINED = 4
_PRE_TOKENIZERS = ("smollm", "gpt2", "default")
_DEFAULT_SYSTEM = re.compile(r"<\|im_start\|>system\n(.*?)<\|im_end\|>", re.DOTALL)
_CHATML_MARKS = ("<|im_start|>", "<|im_end|>", "message['role']", "message['content']",
                 "add_generation_prompt")


class Tokenizer:
    """Text ↔ token ids (``encode``/``decode``) and ChatML conversations (``chat``)."""

    def __init__(self, backend: Any, *, bos_id: int, eos_id: int, chat_template: str) -> None:
        self.backend = backend
        self.bos_id = int(bos_id)
        self.eos_id = int(eos_id)
        self.chat_template = chat_template
        self.vocab_size = int(backend.get_vocab_size(with_added_tokens=True))
        found = _DEFAULT_SYSTEM.search(chat_template)
        self.default_system: str | None = found.group(1) if found else None

    def encode(self, text: str) -> list[int]:
        """The ids of ``text`` (no BOS added; special-token strings in it become those tokens)."""
        return list(self.backend.encode(text, add_special_tokens=False).ids)

    def decode(self, ids: Sequence[int], *, skip_special: bool = False) -> str:
        """The text of ``ids`` (special tokens kept unless ``skip_special``)."""
        return str(self.backend.decode([int(i) for i in ids], skip_special_tokens=skip_special))

    def token(self, token_id: int) -> str:
        """The vocabulary entry of one id (byte-level form, e.g. ``Ġthe``)."""
        return str(self.backend.id_to_token(int(token_id)))

    def render_chat(self, messages: Sequence[tuple[str, str]],
                    add_generation_prompt: bool = True) -> str:
        """The conversation as the chat template writes it (a string with the special tokens)."""
        if not all(m in self.chat_template for m in _CHATML_MARKS):
            raise InputError("the model's chat template is not ChatML-shaped; chat() supports "
                             "only ChatML templates such as SmolLM2's")
        parts = []
        for i, item in enumerate(messages):
            if not (isinstance(item, tuple | list) and len(item) == 2):
                raise InputError(f"chat message {i}: expected a (role, content) pair")
            role, content = item
            if role not in ROLES:
                raise InputError(f"chat message {i}: role {role!r} is not one of {ROLES}")
            if i == 0 and role != "system" and self.default_system is not None:
                parts.append(f"<|im_start|>system\n{self.default_system}<|im_end|>\n")
            parts.append(f"<|im_start|>{role}\n{content}<|im_end|>\n")
        if add_generation_prompt:
            parts.append("<|im_start|>assistant\n")
        return "".join(parts)

    def chat(self, messages: Sequence[tuple[str, str]],
             add_generation_prompt: bool = True) -> list[int]:
        """The ids of a conversation of ``(role, content)`` pairs, roles system/user/assistant."""
        return self.encode(self.render_chat(messages, add_generation_prompt))


def _pre_tokenizer(name: str) -> Any:
    from tokenizers import pre_tokenizers as pt

    byte_level = pt.ByteLevel(add_prefix_space=False, use_regex=True)
    if name == "smollm":
        return pt.Sequence([pt.Digits(individual_digits=True), byte_level])
    return byte_level


def from_gguf_metadata(meta: Mapping[str, Any]) -> Tokenizer:
    """The tokenizer described by a GGUF file's ``tokenizer.*`` metadata (byte-level BPE)."""
    try:
        from tokenizers import AddedToken, decoders, models
        from tokenizers import Tokenizer as Backend
    except ImportError:
        from .gguf_io import INSTALL_HINT, ModelUnavailableError

        raise ModelUnavailableError(f"the 'tokenizers' package is missing: {INSTALL_HINT}"
                                    ) from None
    kind = meta.get("tokenizer.ggml.model")
    pre = str(meta.get("tokenizer.ggml.pre", "default"))
    if kind != "gpt2" or pre not in _PRE_TOKENIZERS:
        raise InputError(f"unsupported tokenizer (model {kind!r}, pre-tokenizer {pre!r}): only "
                         f"byte-level BPE ('gpt2') with pre-tokenizer {', '.join(_PRE_TOKENIZERS)}")
    tokens = list(meta["tokenizer.ggml.tokens"])
    types = list(meta.get("tokenizer.ggml.token_type", [1] * len(tokens)))
    merges = [tuple(m.split(" ", 1)) for m in meta.get("tokenizer.ggml.merges", [])]
    backend = Backend(models.BPE({t: i for i, t in enumerate(tokens)}, merges))
    backend.pre_tokenizer = _pre_tokenizer(pre)
    backend.decoder = decoders.ByteLevel()
    backend.add_special_tokens([AddedToken(t, special=True, normalized=False)
                                for t, k in zip(tokens, types, strict=True)
                                if k in (CONTROL, USER_DEFINED)])
    return Tokenizer(backend, bos_id=int(meta.get("tokenizer.ggml.bos_token_id", 0)),
                     eos_id=int(meta.get("tokenizer.ggml.eos_token_id", 0)),
                     chat_template=str(meta.get("tokenizer.chat_template", "")))
