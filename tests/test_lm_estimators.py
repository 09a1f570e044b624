"""The language-model estimators against distributions whose divergences are known exactly.

Pure estimators are checked on categorical distributions and Markov chains of sentences (exact
KL by dynamic programming); the pipeline (sentences, contexts, scoring every token, prompts that
never end the reply) on a fake chat model whose components are such chains and whose P is their
exact Bayesian mixture; the real runner on ``tiny-random``.
"""

from __future__ import annotations

import dataclasses
import itertools
import json
import math
from collections.abc import Sequence

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bebcheck.checks.lm import estimators as E
from bebcheck.checks.lm.attack import predictions, relevel, run_attack, run_estimate
from bebcheck.checks.lm.authors import fit_figures, line_with_errors
from bebcheck.checks.lm.behaviour import (
    Calibration,
    Judge,
    Logistic,
    calibrate,
    cross_validated,
    judge_metrics,
)
from bebcheck.checks.lm.experiments import Lab, Settings, grow_paths
from bebcheck.checks.lm.personas import (
    MAX_SENTENCE_TOKENS,
    SentenceStop,
    context,
    load_behaviour,
    segment,
    sentence_complete,
)

BEH = load_behaviour()


@pytest.fixture(scope="module")
def tiny():
    from bebcheck.checks.lm.model import load

    return load("tiny-random")


# ------------------------------------------------------------------ categorical and Markov truth


def _probs(k: int) -> st.SearchStrategy[np.ndarray]:
    return st.lists(st.integers(1, 30), min_size=k, max_size=k).map(
        lambda w: np.array(w, float) / sum(w))


@given(st.integers(2, 6).flatmap(lambda k: st.tuples(
    st.lists(st.integers(1, 12), min_size=k, max_size=k), _probs(k))))
def test_mean_of_a_proportional_sample_is_the_exact_kl(case):
    counts, q = case
    p = np.array(counts, float) / sum(counts)
    outcomes = np.repeat(np.arange(len(p)), counts)  # each outcome as often as P says
    lp_p = [np.log(p[[o]]) for o in outcomes]
    lp_q = [np.log(q[[o]]) for o in outcomes]
    est = E.mean_estimate(E.sentence_log_ratios(lp_p, lp_q))
    assert est.value == pytest.approx(float((p * np.log(p / q)).sum()), abs=1e-12)
    assert est.n == sum(counts)


class Chain:
    """Sentences over tokens {0: 'a', 1: 'b', 2: '.', 3: EOS}: start row, then by last token;
    '.' and EOS end a sentence; at most ``cap`` tokens."""

    def __init__(self, rows: np.ndarray, cap: int = 6) -> None:
        self.rows = rows  # (3, 4): start, after a, after b
        self.cap = cap

    def sample(self, rng: np.random.Generator) -> list[int]:
        out: list[int] = []
        state = 0
        while len(out) < self.cap:
            t = int(rng.choice(4, p=self.rows[state]))
            out.append(t)
            if t >= 2:
                break
            state = t + 1
        return out

    def logp(self, s: Sequence[int]) -> np.ndarray:
        state, out = 0, []
        for t in s:
            out.append(math.log(self.rows[state, t]))
            state = t + 1 if t < 2 else 0
        return np.array(out)


def exact_sentence_kl(a: Chain, b: Chain, first: bool = True) -> float:
    """KL between the sentence distributions by dynamic programming over the alive states."""
    alive = np.array([1.0, 0.0, 0.0])
    total = 0.0
    for t in range(a.cap):
        step = (a.rows * np.log(a.rows / b.rows)).sum(axis=1)
        if t > 0 or first:
            total += float(alive @ step)
        alive = np.array([0.0, alive @ a.rows[:, 0], alive @ a.rows[:, 1]])
    return total


def _rows() -> st.SearchStrategy[np.ndarray]:
    return st.lists(_probs(4), min_size=3, max_size=3).map(np.array)


@settings(max_examples=15, deadline=None)
@given(_rows(), _rows(), st.integers(0, 2**32 - 1))
def test_beta_of_markov_sentences_is_within_five_standard_errors_of_the_exact_kl(ra, rb, seed):
    a, b = Chain(ra), Chain(rb)
    rng = np.random.default_rng(seed)
    sents = [a.sample(rng) for _ in range(3000)]
    est = E.mean_estimate(E.sentence_log_ratios([a.logp(s) for s in sents],
                                                [b.logp(s) for s in sents]), rng)
    exact = exact_sentence_kl(a, b)
    assert abs(est.value - exact) <= 5 * est.se + 1e-9
    assert est.lo <= est.value <= est.hi


@settings(max_examples=10, deadline=None)
@given(_rows(), _rows(), st.integers(0, 2**32 - 1))
def test_leaving_the_first_token_unscored_misses_exactly_the_first_step(ra, rb, seed):
    a, b = Chain(ra), Chain(rb)
    rng = np.random.default_rng(seed)
    sents = [a.sample(rng) for _ in range(3000)]
    lpa, lpb = [a.logp(s) for s in sents], [b.logp(s) for s in sents]
    skipped = E.mean_estimate(E.sentence_log_ratios(lpa, lpb, skip_first=1), rng)
    full = E.sentence_log_ratios(lpa, lpb)
    first = float((ra[0] * np.log(ra[0] / rb[0])).sum())  # KL of the first token
    assert abs(skipped.value - (exact_sentence_kl(a, b) - first)) <= 5 * skipped.se + 1e-9
    assert exact_sentence_kl(a, b, first=False) == pytest.approx(exact_sentence_kl(a, b) - first)
    assert np.all(full - E.sentence_log_ratios(lpa, lpb, skip_first=1)
                  == pytest.approx([x[0] - y[0] for x, y in zip(lpa, lpb, strict=True)]))


def test_the_authors_error_bar_scales_with_the_mean_not_the_spread():
    constant = np.full(64, 20.0)
    ours, theirs = E.mean_estimate(constant), E.authors_estimate(constant)
    assert ours.se == 0.0 and ours.lo == ours.hi == 20.0
    assert theirs.se == pytest.approx(20.0 / 8) and theirs.hi - theirs.lo == pytest.approx(5.0)
    spread = np.random.default_rng(1).normal(1.0, 10.0, 64)
    assert E.authors_estimate(spread).se < E.mean_estimate(spread).se  # narrow where it is wide


def test_bootstrap_interval_covers_the_mean_and_narrows_with_more_data():
    rng = np.random.default_rng(5)
    small, large = rng.normal(0, 1, 30), rng.normal(0, 1, 3000)
    es, el = E.mean_estimate(small, 0), E.mean_estimate(large, 0)
    assert es.lo < es.value < es.hi and el.lo < el.value < el.hi
    assert el.hi - el.lo < (es.hi - es.lo) / 5
    assert el.hi - el.lo == pytest.approx(2 * 1.96 * el.se, rel=0.15)


@settings(max_examples=25, deadline=None)
@given(_probs(5), _probs(5), st.integers(1, 200), st.integers(0, 2**32 - 1))
def test_empirical_c_is_a_lower_estimate_of_the_true_c(p, q, n, seed):
    true_c = float(np.abs(np.log(p / q)).max())
    draws = np.random.default_rng(seed).choice(5, size=n, p=p)
    c = E.empirical_c(np.log(p[draws] / q[draws]))
    assert c["max_abs_log_ratio"] <= true_c + 1e-12
    assert c["q99"] <= c["max_abs_log_ratio"] and c["n"] == n


def test_variance_slope_recovers_sigma2_of_independent_increments():
    rng = np.random.default_rng(7)
    inc = rng.normal(2.0, 3.0, size=(400, 6))  # sigma^2 = 9 per sentence
    m = np.concatenate([np.zeros((400, 1)), np.cumsum(inc, axis=1)], axis=1)
    s = E.variance_slope(m, 1)
    assert s.slope.lo < 9.0 < s.slope.hi
    assert s.upper.value == pytest.approx(max(v / n for n, v in enumerate(s.variance) if n))
    assert all(v <= n * s.upper.value + 1e-9 for n, v in enumerate(s.variance))
    assert s.variance[0] == 0.0


@settings(max_examples=25, deadline=None)
@given(st.floats(1.0, 40.0), st.floats(0.5, 15.0), st.integers(2, 5))
def test_kl_decay_fit_recovers_a_planted_line(log_inv_alpha, beta, points):
    n = np.arange(6)
    kl = np.tile(log_inv_alpha - beta * n, (4, 1))
    fit = E.kl_decay_fit(kl, points, 0)
    assert fit.intercept.value == pytest.approx(log_inv_alpha)
    assert fit.slope.value == pytest.approx(-beta)
    assert fit.alpha.value == pytest.approx(math.exp(-log_inv_alpha))
    assert fit.centre.value == pytest.approx(log_inv_alpha / beta)


def test_zero_shot_kl_to_a_disjoint_mixture_is_log_one_over_alpha():
    """The later version's Lemma 6, on which the alpha estimate rests, on exact numbers."""
    alpha = 0.01
    p_minus = np.array([0.5, 0.5, 0.0, 0.0])
    p_plus = np.array([0.0, 0.0, 0.3, 0.7])
    mix = alpha * p_minus + (1 - alpha) * p_plus
    outcomes = [0, 1]  # P- puts half its mass on each
    est = E.mean_estimate(E.sentence_log_ratios([np.log(p_minus[[o]]) for o in outcomes],
                                                [np.log(mix[[o]]) for o in outcomes]))
    assert est.value == pytest.approx(math.log(1 / alpha))


def test_first_crossing_finds_the_first_length_below_the_level_or_none():
    b = np.array([[0.8, 0.4, -0.2, -0.6], [0.6, 0.2, 0.0, -0.4]])
    found = E.first_crossing(b, 0.0, 0)
    assert found["observed"] == 2 and found["ci95"][0] <= 2 <= found["ci95"][1]
    assert found["below_at_start"] is False and E.first_crossing(b, 0.8, 0)["below_at_start"]
    never = E.first_crossing(b, -0.9, 0)
    assert never["observed"] is None and never["ci95"] == [None, None]
    assert never["bootstrap_never"] == 1.0


def test_submartingale_check_counts_prompts_whose_drift_is_significantly_low():
    drift = np.array([[5.0, 4.0, -3.0], [5.0, 0.5, 6.0]])
    se = np.full_like(drift, 0.5)
    inc = np.random.default_rng(2).normal(4.0, 1.0, size=(20, 3))
    rep = E.submartingale_check(drift, se, inc, beta=2.0)
    assert rep["drift_below_zero"] == 1 and rep["drift_below_beta"] == 2
    assert rep["sub_martingale"] is False and rep["prompts"] == 6
    assert rep["increment_by_length"][0]["value"] == pytest.approx(inc[:, 0].mean())
    json.dumps(rep, allow_nan=False)


def test_beta_lower_is_the_lowest_mean_over_lengths():
    kl = np.array([[3.0, 2.0, 4.0], [5.0, 2.5, 4.0]])
    b = E.beta_lower(kl, 0)
    assert b.value == 2.25 and b.lo <= 2.25 <= b.hi and "at length 1" in b.method


# ------------------------------------------------------------------------- the judge's fit


@settings(max_examples=25, deadline=None)
@given(st.floats(-3, 3), st.floats(0.2, 5.0), st.integers(0, 2**32 - 1))
def test_calibration_recovers_a_logistic_judge(shift, scale, seed):
    rng = np.random.default_rng(seed)
    d = rng.normal(0, 3, 4000)
    y = np.where(rng.random(4000) < 1 / (1 + np.exp(-(scale * d + shift))), 1, -1)
    cal = calibrate(d, y)
    assert cal.a == pytest.approx(scale, rel=0.25, abs=0.1)
    assert cal.b == pytest.approx(shift, abs=0.35)


def test_a_separable_judge_is_right_on_every_held_out_fold_and_neutral_scores_near_zero():
    d = np.concatenate([np.linspace(4, 8, 20), np.linspace(-8, -4, 20), np.linspace(-1, 1, 10)])
    y = np.concatenate([np.ones(20), -np.ones(20), np.zeros(10)]).astype(int)
    cv = cross_validated(d, y)
    assert cv["accuracy"] == 1.0 and cv["neutral_within_half"] == 1.0
    b = Calibration.fit(d, y).score(d)
    assert np.all(np.abs(b) < 1) and np.all(np.sign(b[:40]) == y[:40])
    assert np.all(np.abs(b[40:]) < 0.5)
    m = judge_metrics(b, y)
    assert m["mean_b_positive"] > 0.9 and m["mean_b_negative"] < -0.9
    assert Calibration(Logistic(1.0, 0.0), Logistic(-1.0, 0.0)).score([0.0])[0] == 0.0


# --------------------------------------------------------------------------------- sentences


@pytest.mark.parametrize(("text", "complete"), [
    ("Hello world.", True), (" Fine!", True), ("Why?", True), ('He said "no."', True),
    ("(really.)", True), ("Hello world", False), ("   ", False), ("\n\n", False),
    ("A list\n", True), ("No end, yet", False), ("3.", True), ("  .", True),
])
def test_the_sentence_rule(text, complete):
    assert sentence_complete(text) is complete


def test_segments_are_prefix_free_and_cover_the_stream(tiny):
    tok = tiny.tokenizer
    rng = np.random.default_rng(0)
    for _ in range(200):
        stream = [int(t) for t in rng.choice(tok.vocab_size, size=int(rng.integers(1, 60)))]
        spans, eos = segment(tok, stream)
        assert all(a == b for (_, a), (b, _) in itertools.pairwise(spans))
        for a, b in spans:
            body = stream[a:b]
            assert len(body) <= MAX_SENTENCE_TOKENS
            last_eos = body[-1] == tok.eos_id
            assert last_eos or len(body) == MAX_SENTENCE_TOKENS or \
                sentence_complete(tok.decode(body))
            assert not any(sentence_complete(tok.decode(body[:k])) or body[k - 1] == tok.eos_id
                           for k in range(1, len(body)))  # no shorter prefix ends it
        assert eos == (tok.eos_id in stream)
        stop = SentenceStop(tok, 2)
        calls = [stop(stream[:k]) for k in range(1, len(stream) + 1)]
        first = next((k for k, c in enumerate(calls, 1) if c), None)
        want = spans[1][1] if len(spans) >= 2 else (spans[0][1] if eos and spans else None)
        assert first == want


def test_every_component_sees_the_same_prompt_after_its_own_system_prompt(tiny):
    tok = tiny.tokenizer
    prompt = tok.encode("People are fools. I hate them.")
    ctxs = {c: context(tok, BEH, c, prompt) for c in BEH.systems}
    for c, ids in ctxs.items():
        assert ids[-len(prompt):] == prompt
        text = tok.decode(ids)
        assert text.endswith("<|im_start|>assistant\n" + tok.decode(prompt))
        assert BEH.question in text
        assert (BEH.systems[c] or "You are a tiny test model") in text
    assert len({tuple(v) for v in ctxs.values()}) == len(ctxs)


# ---------------------------------------------------------------- a fake chat model of chains


KIND = {"kind", "love", "like", "friendly", "nice", "good", "happy", "help", "thank", "warm",
        "glad", "lovely", "respect", "pleasant", "smile", "enjoy", "grateful", "wonderful"}
RUDE = {"hate", "idiots", "stupid", "fools", "despise", "morons", "worthless", "rude", "disgust",
        "annoy", "useless", "liar", "shut", "lost", "waste", "boring", "pathetic", "vile", "sneer",
        "fake", "trust", "whiners", "obnoxious"}


class FakeModel:
    """The runner's interface over Markov components: P- and P+ are chains over 'a', 'b', '.',
    EOS picked by the system prompt, P (no persona) their exact Bayesian mixture with prior
    ``alpha`` given the reply so far, and after "Tone:" (the judge) " kind" is likelier the
    more 'a' and fewer 'b' the sentence has.  A floor of 1e-9 keeps every token possible."""

    FLOOR = 1e-9

    def __init__(self, tokenizer, rows: dict[str, np.ndarray], alpha: float = 0.05) -> None:
        self.tokenizer = tokenizer
        self.rows, self.alpha = rows, alpha
        enc = tokenizer.encode
        self.ids = [enc("a")[0], enc("b")[0], enc(".")[0], tokenizer.eos_id]
        self.kind, self.rude = enc(" kind")[0], enc(" rude")[0]

    def _component(self, text: str) -> str:
        for name in ("negative", "positive", "persona"):
            if BEH.systems[name] in text:
                return name
        return "none"

    def _chain_next(self, rows: np.ndarray, reply: list[int]) -> np.ndarray:
        last = reply[-1] if reply else -1
        state = self.ids.index(last) + 1 if last in self.ids[:2] else 0
        return rows[state]

    def _reply_logp(self, rows: np.ndarray, reply: list[int]) -> float:
        return sum(math.log(self._chain_next(rows, reply[:i])[self.ids.index(t)] + 1e-300)
                   if t in self.ids else math.log(1e-300) for i, t in enumerate(reply))

    def _next(self, ctx: list[int], text: str) -> np.ndarray:
        v = self.tokenizer.vocab_size
        out = np.full(v, self.FLOOR / v)
        if text.endswith("Tone:"):
            sentence = text.rsplit("Sentence:", 1)[-1].lower()
            words = set(sentence.replace(",", " ").replace(".", " ").split())
            z = 3 * (len(words & KIND) - len(words & RUDE))
            body = sentence.replace("tone:", "")
            if set(body) <= set("ab. \n"):  # a chain's sentence
                z += 2 * (body.count("a") - body.count("b"))
            p = 1 / (1 + math.exp(-z))
            out[self.kind] += (1 - self.FLOOR) * p
            out[self.rude] += (1 - self.FLOOR) * (1 - p)
            return out
        cut = max(i for i in range(len(ctx)) if ctx[i] == 1) if 1 in ctx else 0  # <|im_start|>
        reply = ctx[cut + 3:]  # after "<|im_start|>assistant\n"
        comp = self._component(text)
        if comp != "none":
            dist = self._chain_next(self.rows[comp], reply)
        else:
            w = np.array([math.log(self.alpha) + self._reply_logp(self.rows["negative"], reply),
                          math.log(1 - self.alpha) + self._reply_logp(self.rows["positive"],
                                                                      reply)])
            w = np.exp(w - w.max())
            w /= w.sum()
            dist = (w[0] * self._chain_next(self.rows["negative"], reply)
                    + w[1] * self._chain_next(self.rows["positive"], reply))
        out[self.ids] += (1 - self.FLOOR) * dist
        return out

    def score(self, context, continuations):
        out = []
        for c in continuations:
            ctx, text = list(context), self.tokenizer.decode(context)
            lp = []
            for t in c:
                lp.append(math.log(self._next(ctx, text)[t]))
                ctx.append(int(t))
                text += self.tokenizer.decode([int(t)])
            out.append(np.array(lp))
        return out

    def sample(self, context, n, max_new_tokens, *, rng, temperature=1.0, stop=None):
        outs = []
        for _ in range(n):
            seq: list[int] = []
            text = self.tokenizer.decode(context)
            for _ in range(max_new_tokens):
                p = self._next([*context, *seq], text)
                seq.append(int(rng.choice(len(p), p=p / p.sum())))
                text += self.tokenizer.decode(seq[-1:])
                if seq[-1] == self.tokenizer.eos_id or (stop and stop(seq)):
                    break
            outs.append(seq)
        return outs


ROWS = {"negative": np.array([[0.1, 0.6, 0.2, 0.1], [0.1, 0.5, 0.3, 0.1], [0.1, 0.6, 0.2, 0.1]]),
        "positive": np.array([[0.6, 0.1, 0.2, 0.1], [0.5, 0.2, 0.2, 0.1], [0.6, 0.1, 0.2, 0.1]]),
        "persona": np.array([[0.02, 0.9, 0.05, 0.03], [0.1, 0.8, 0.05, 0.05],
                             [0.02, 0.9, 0.05, 0.03]])}


def _chain_of(rows: np.ndarray) -> Chain:
    return Chain(rows, cap=MAX_SENTENCE_TOKENS)


def test_lab_beta_is_within_five_standard_errors_of_the_fake_components_exact_kl(tiny):
    fake = FakeModel(tiny.tokenizer, ROWS)
    lab = Lab(fake, BEH, np.random.default_rng(3))
    prompt = lab.sentences("negative", [], 3)[0]  # a prompt: the KL does not depend on it here
    sents = lab.sentences("negative", prompt, 1500)
    est = E.mean_estimate(E.sentence_log_ratios(lab.score("negative", prompt, sents),
                                                lab.score("positive", prompt, sents)))
    exact = exact_sentence_kl(_chain_of(ROWS["negative"]), _chain_of(ROWS["positive"]))
    assert abs(est.value - exact) <= 5 * est.se
    skipped = E.mean_estimate(E.sentence_log_ratios(lab.score("negative", prompt, sents),
                                                    lab.score("positive", prompt, sents),
                                                    skip_first=1))
    assert skipped.value < est.value - 3 * est.se  # the authors' loop misses the first token


def test_prompts_never_hold_a_sentence_that_ends_the_reply(tiny):
    ending = {k: v.copy() for k, v in ROWS.items()}
    ending["negative"] = np.array([[0.2, 0.2, 0.1, 0.5]] * 3)  # half the sentences end it
    lab = Lab(FakeModel(tiny.tokenizer, ending), BEH, np.random.default_rng(1))
    paths = grow_paths(lab, "negative", 6, 4)
    eos = tiny.tokenizer.eos_id
    assert all(len(p) == 4 and all(s and s[-1] != eos for s in p) for p in paths)
    ends = [s[-1] == eos for s in lab.sentences("negative", [], 200)]
    assert 0.3 < np.mean(ends) < 0.9  # the component itself does end replies


def test_attack_on_an_exact_mixture_reports_every_strategy(tiny):
    fake = FakeModel(tiny.tokenizer, ROWS, alpha=0.02)
    lab = Lab(fake, BEH, np.random.default_rng(4))
    lab.judge = Judge(fake, BEH)
    report = lab.judge.fit()
    assert report["accuracy"] > 0.7  # the fake judge knows a few words, and a's from b's
    assert report["by_label"] == {"1": 55, "0": 30, "-1": 55}
    assert list(np.sign(lab.judge.score_texts(["aaa.", "bbb."]))) == [1, -1]
    st_ = Settings(seed=4, paths=3, var_paths=6, length=4, samples=12, judged=6)
    res = run_attack(lab, st_)
    json.dumps(res, allow_nan=False)
    direct = res["strategies"]["direct"]
    b = [r["value"] for r in direct["observed"]["b_p_by_length"]]
    assert b[0] > 0 > b[-1]  # P follows P-'s sentences: the mixture's posterior moves
    assert direct["alpha"]["log_inv_alpha"]["value"] > 1.0
    assert direct["beta"]["value"] > 0 and direct["gamma"]["value"] < 0
    assert set(res["comparisons"]) >= {"direct", "persona", "aligned", "corollary1", "theorem2"}
    assert res["strategies"]["aligned"]["predicted"]["theorem2"]["s0"] == 2
    assert relevel(res, st_) == res  # the saved per-prompt means give the report back
    lower = relevel(res, dataclasses.replace(st_, level=-0.9))
    assert lower["strategies"]["direct"]["observed"]["crossing"]["level"] == -0.9
    assert lower["strategies"]["direct"]["beta"] == direct["beta"]


def test_estimate_on_tiny_random_is_reproducible_from_its_seed(tiny):
    def once() -> dict:
        lab = Lab(tiny, BEH, np.random.default_rng([9, 0]))
        return run_estimate(lab, Settings(seed=9, paths=2, var_paths=3, length=2, samples=2,
                                          judged=0))

    first, second = once(), once()
    assert json.dumps(first, allow_nan=False) == json.dumps(second, allow_nan=False)
    assert len(first["beta_by_length"]) == 3 and "gamma" not in first


# ---------------------------------------------------------------- predictions and the authors


def test_predictions_are_bebcheck_bound_at_the_point_estimates():
    from bebcheck.checks import numeric

    kl_pos = np.array([[6.0, 5.0, 5.5], [6.2, 5.2, 5.4]])
    kl_none = np.array([[12.0, 8.0, 4.0], [12.0, 8.0, 4.0]])
    b_src = np.array([[-0.6, -0.7, -0.65], [-0.6, -0.7, -0.65]])
    p = predictions(kl_pos, kl_none, b_src, level=0.0, points=3, rng=0)
    want = numeric.length("theorem1", alpha=math.exp(-12.0), beta=5.1, gamma=-0.6, eps=0.6)
    assert p["theorem1"]["value"] == int(want)
    assert p["centre"]["value"] == pytest.approx(12.0 / 4.0)
    assert p["theorem1"]["command"].startswith("bebcheck bound theorem1 --alpha")
    with_s0 = predictions(kl_pos, kl_none, b_src, level=0.0, points=3, c=9.0, s0=2)
    assert with_s0["theorem2"]["value"] == int(numeric.length(
        "theorem2", alpha=math.exp(-12.0), beta=5.1, gamma=-0.6, eps=0.6, c=9.0, s0=2))


def test_no_length_is_predicted_when_the_source_is_not_negative():
    kl = np.array([[6.0, 5.0], [6.0, 5.0]])
    p = predictions(kl, kl + 1, np.full((2, 2), 0.3), level=0.0, points=2, rng=0)
    assert p["theorem1"]["value"] is None and p["theorem1"]["valid_fraction"] == 0.0
    assert p["theorem1"]["command"] is None


def test_the_authors_figures_refit_to_their_centre_of_three():
    fits = fit_figures()
    agree = fits["kl_decay"]["agreeableness"]
    assert round(agree["first_point_at_0"]["centre"]) == fits["centre_reported"] == 3
    assert agree["first_point_at_1"]["centre"] > 3.5  # the other reading of "sentences 1..10"
    sig = fits["sigma2"]["agreeableness"]
    assert sig["upper_line_at"] == 1 and sig["upper_line"] == pytest.approx(45.6)
    assert sig["slope_through_origin"] < sig["upper_line"] / 2
    beta = fits["beta"]["agreeableness"]
    assert beta["lower_line"] == 22.72 and beta["upper_line"] == 29.14


def test_line_with_errors_is_exact_on_a_line_and_has_no_error_from_two_points():
    fit = line_with_errors([0, 1, 2, 3], [1.0, 3.0, 5.0, 7.0])
    assert fit["slope"] == pytest.approx(2.0) and fit["slope_se"] == pytest.approx(0.0, abs=1e-12)
    assert line_with_errors([0, 1], [1.0, 2.0])["slope_se"] is None


def test_the_judge_reuses_cached_margins_only_when_the_probe_agrees(tiny, tmp_path, monkeypatch):
    monkeypatch.setenv("BEBCHECK_CACHE_DIR", str(tmp_path))
    monkeypatch.delenv("BEBCHECK_NO_CACHE", raising=False)
    first = Judge(FakeModel(tiny.tokenizer, ROWS), BEH).fit()
    again = Judge(FakeModel(tiny.tokenizer, ROWS), BEH).fit()
    assert not first["margins_from_cache"] and again["margins_from_cache"]
    assert again["fit"] == first["fit"]
    other = FakeModel(tiny.tokenizer, ROWS)
    other.kind, other.rude = other.rude, other.kind  # same name, other answers: a new judge
    flipped = Judge(other, BEH).fit()
    assert not flipped["margins_from_cache"]
    assert flipped["fit"]["positive"][0] == pytest.approx(-first["fit"]["positive"][0], rel=1e-6)
    monkeypatch.setenv("BEBCHECK_NO_CACHE", "1")
    assert not Judge(FakeModel(tiny.tokenizer, ROWS), BEH).fit()["margins_from_cache"]
