"""A tiny randomly initialised Llama of SmolLM2's architecture, for tests: GGUF-shaped, in memory.

:func:`tiny_random` returns what a GGUF file would hold -- metadata and float32 tensors under
llama.cpp's names -- so that the tiny model goes through the same loader as the real one and can
be written to a ``.gguf`` file and read back.  It is deterministic in ``seed`` and takes a few
milliseconds.

The tokenizer is a real byte-level BPE (the 256 byte symbols, SmolLM2's three ChatML control
tokens at the same ids 0, 1, 2, and merges that spell a fixed list of English words), so any
text round-trips; its chat template has the shape of SmolLM2's with another default system
message.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .gguf_io import GGUFContents

__all__ = ["SPECIAL_TOKENS", "TINY_CHAT_TEMPLATE", "TINY_WORDS", "tiny_random", "tiny_vocab"]

SPECIAL_TOKENS = ("<|endoftext|>", "<|im_start|>", "<|im_end|>")
TINY_CHAT_TEMPLATE = (
    "{% for message in messages %}{% if loop.first and messages[0]['role'] != 'system' %}"
    "{{ '<|im_start|>system\nYou are a tiny test model<|im_end|>\n' }}{% endif %}"
    "{{'<|im_start|>' + message['role'] + '\n' + message['content'] + '<|im_end|>' + '\n'}}"
    "{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\n' }}{% endif %}")
TINY_WORDS = (
    "the of and to in is you that it he was for on are as with his they at be this have from "
    "or one had by word but not what all were we when your can said there use an each which "
    "she do how their if will up other about out many then them these so some her would make "
    "like him into time has look two more write go see number no way could people my than "
    "first water been call who oil its now find long down day did get come made may part "
    "system user assistant helpful model tiny test hello world good bad kind rude"
)
"""The words the tiny tokenizer's merges spell (with and without a leading space)."""


def tiny_vocab() -> tuple[list[str], list[int], list[str]]:
    """Tokens, GGUF token types and merges of the tiny byte-level BPE."""
    from tokenizers import pre_tokenizers

    tokens = [*SPECIAL_TOKENS, *sorted(pre_tokenizers.ByteLevel.alphabet())]
    known = set(tokens)
    merges: list[str] = []
    for word in TINY_WORDS.split():
        for spelled in (word, "Ġ" + word):  # Ġ is the byte-level space
            left = spelled[0]
            for ch in spelled[1:]:
                if left + ch not in known:
                    merges.append(f"{left} {ch}")
                    tokens.append(left + ch)
                    known.add(left + ch)
                left += ch
    types = [3] * len(SPECIAL_TOKENS) + [1] * (len(tokens) - len(SPECIAL_TOKENS))
    return tokens, types, merges


def _metadata(dims: dict[str, int]) -> dict[str, Any]:
    tokens, types, merges = tiny_vocab()
    return {
        "general.architecture": "llama", "general.name": "tiny-random",
        "llama.block_count": dims["layers"], "llama.context_length": dims["context"],
        "llama.embedding_length": dims["dim"], "llama.feed_forward_length": dims["ffn"],
        "llama.attention.head_count": dims["heads"], "llama.attention.head_count_kv": dims["kv"],
        "llama.rope.freq_base": 10000.0,
        "llama.attention.layer_norm_rms_epsilon": float(np.float32(1e-5)),  # as GGUF stores it
        "llama.rope.dimension_count": dims["dim"] // dims["heads"],
        "llama.vocab_size": len(tokens),
        "tokenizer.ggml.model": "gpt2", "tokenizer.ggml.pre": "smollm",
        "tokenizer.ggml.tokens": tokens, "tokenizer.ggml.token_type": types,
        "tokenizer.ggml.merges": merges, "tokenizer.ggml.bos_token_id": 1,
        "tokenizer.ggml.eos_token_id": 2, "tokenizer.ggml.add_bos_token": False,
        "tokenizer.chat_template": TINY_CHAT_TEMPLATE,
    }


def tiny_random(seed: int = 0, *, dim: int = 64, layers: int = 2, heads: int = 4,
                kv_heads: int = 2, ffn: int = 160, context: int = 512) -> GGUFContents:
    """Metadata and tensors of a random Llama (grouped-query attention, SwiGLU, tied
    embeddings); weights scaled so that activations and logits are of order one."""
    rng = np.random.default_rng(seed)
    vocab = len(tiny_vocab()[0])
    hd, kvd = dim // heads, kv_heads * (dim // heads)

    def mat(rows: int, cols: int) -> np.ndarray:
        return (rng.standard_normal((rows, cols)) / np.sqrt(cols)).astype(np.float32)

    def norm() -> np.ndarray:
        return (1.0 + 0.1 * rng.standard_normal(dim)).astype(np.float32)

    tensors = {"token_embd.weight": (0.4 * rng.standard_normal((vocab, dim))).astype(np.float32),
               "output_norm.weight": norm()}
    for i in range(layers):
        b = f"blk.{i}."
        tensors |= {b + "attn_norm.weight": norm(), b + "attn_q.weight": mat(heads * hd, dim),
                    b + "attn_k.weight": mat(kvd, dim), b + "attn_v.weight": mat(kvd, dim),
                    b + "attn_output.weight": mat(dim, heads * hd),
                    b + "ffn_norm.weight": norm(), b + "ffn_gate.weight": mat(ffn, dim),
                    b + "ffn_up.weight": mat(ffn, dim), b + "ffn_down.weight": mat(dim, ffn)}
    dims = {"dim": dim, "layers": layers, "heads": heads, "kv": kv_heads, "ffn": ffn,
            "context": context}
    return GGUFContents(_metadata(dims), tensors)
