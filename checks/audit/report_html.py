"""The standalone HTML report for reviewers: chains, steps, MathML obligations, errata, graphs."""

from __future__ import annotations

import base64
import hashlib
import html
import string
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

import sympy as sp

from bebcheck.checks.engines.result import Verdict, Witness
from bebcheck.symbolic.finding import Severity
from bebcheck.symbolic.lemmas import LEMMAS, Lemma
from bebcheck.symbolic.obligation import Obligation
from bebcheck.symbolic.step import StepKind

from .errata import Erratum
from .mathml import Builder, MathMLCorePrinter, implication, math_element, notation, to_mathml
from .results import ChainReport, ObligationReport, StepReport

__all__ = ["anchor_slug", "to_html"]

KEYS = ("PROVED", "REFUTED", "INCONCLUSIVE", "GIVEN")
# fill, stroke, text: tints for the boxes, saturated strokes, dark text (readable on both)
COLOURS = {
    "PROVED": ("#dcf3e2", "#1a7f37", "#0f4d22"),
    "REFUTED": ("#fde3e1", "#c62828", "#7f1414"),
    "INCONCLUSIVE": ("#fff0c7", "#b7791f", "#6b4500"),
    "GIVEN": ("#eceff3", "#8a94a3", "#3d4652"),
    "LEMMA": ("#ffffff", "#5b6b8c", "#2c3a57"),
}
_SAFE = frozenset(string.ascii_letters + string.digits + "-.")


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def anchor_slug(text: str) -> str:
    """``text`` as the tail of an HTML id: letters, digits, ``-`` and ``.`` kept, every other
    character written ``_hex_`` (so ``D.c>b`` gives ``D.c_3e_b``; distinct texts, distinct
    slugs)."""
    return "".join(c if c in _SAFE else f"_{ord(c):x}_" for c in text)


class _Ids:
    """Unique, stable ids: ``prefix-slug``, then the result's slug, then a counter on a clash."""

    def __init__(self) -> None:
        self.used: set[str] = set()
        self.by_key: dict[tuple[str, ...], str] = {}

    def claim(self, key: tuple[str, ...], prefix: str, text: str, scope: str = "") -> str:
        if key in self.by_key:
            return self.by_key[key]
        options = [f"{prefix}-{anchor_slug(text)}"]
        if scope:
            options.append(f"{prefix}-{anchor_slug(scope)}-{anchor_slug(text)}")
        new = next((o for o in options if o not in self.used), "")
        k = 2
        while not new:
            candidate = f"{options[-1]}-{k}"
            new = "" if candidate in self.used else candidate
            k += 1
        self.used.add(new)
        self.by_key[key] = new
        return new


@dataclass
class _Ctx:
    """Anchors of every result, step, obligation and lemma of the document."""

    ids: _Ids = field(default_factory=_Ids)

    def result(self, name: str) -> str:
        return self.ids.claim(("result", name), "result", name)

    def step(self, result: str, step_id: str) -> str:
        return self.ids.claim(("step", result, step_id), "step", step_id, result)

    def ob(self, result: str, ob_id: str) -> str:
        return self.ids.claim(("ob", result, ob_id), "ob", ob_id, result)

    def lemma(self, name: str) -> str:
        return self.ids.claim(("lemma", name), "lemma", name)

    def erratum(self, result: str, step_id: str) -> str:
        return self.ids.claim(("erratum", result, step_id), "erratum", step_id, result)


# -- verdicts ---------------------------------------------------------------------------------
def _key(s: StepReport) -> str:
    return "GIVEN" if s.verdict is None else s.verdict.value


def _label(s: StepReport) -> str:
    """The verdict as the text report prints it, with its by-proof reading."""
    if s.verdict is None:
        return "GIVEN"
    if s.by_proof:
        return ("REFUTED (by proof)" if s.verdict is Verdict.REFUTED
                else "INCONCLUSIVE (does not follow: proved)")
    return s.verdict.value


def _badge(key: str, text: str = "") -> str:
    return f'<span class="badge v-{key.lower()}">{_e(text or key)}</span>'


def _vbadge(v: Verdict) -> str:
    return _badge(v.value)


def _kind_label(kind: StepKind) -> str:
    return {StepKind.FAITHFUL: "as printed", StepKind.REPAIRED: "repair",
            StepKind.GIVEN: "given"}[kind]


def _kind_span(kind: StepKind) -> str:
    return "" if kind is StepKind.GIVEN else f'<span class="kind">{_kind_label(kind)}</span>'


def _lemmas_of(s: StepReport) -> list[str]:
    """The lemmas a step names and those its obligations instantiate, first use first."""
    names = list(s.step.lemmas)
    names += [f.lemma.name for o in s.step.obligations for f in o.facts]
    return list(dict.fromkeys(names))


def _fixes(rep: ChainReport, step_id: str) -> list[StepReport]:
    return [rep.step(f.id) for f in rep.chain.repairs_for(step_id)]


def _as_repaired(rep: ChainReport) -> list[StepReport]:
    """The repaired chain: each printed step not PROVED replaced by the steps that repair it."""
    out: list[StepReport] = []
    for s in rep.steps:
        if s.step.kind is StepKind.REPAIRED:
            continue
        fixes = _fixes(rep, s.step.id)
        keep = s.step.kind is StepKind.GIVEN or s.verdict is Verdict.PROVED or not fixes
        out.extend([s] if keep else fixes)
    return out


# -- mathematics ------------------------------------------------------------------------------
def _names(ob: Obligation) -> dict[str, Builder]:
    others = [s.name for s, _ in ob.definitions]
    others += [w.name for f in ob.facts for w in f.witnesses]
    return notation([(p.name, p.latex) for p in ob.params], others)


def _definition(sym: sp.Symbol, expr: sp.Basic, names: Mapping[str, Builder]) -> str:
    p = MathMLCorePrinter(names)
    body = f"<mrow>{p.core(sym)}<mo>\u2254</mo>{p.core(expr)}</mrow>"
    return math_element(body, "block", f"{sym} := {sp.sstr(expr)}")


def _symbol(name: str, names: Mapping[str, Builder]) -> str:
    if not name[:1].isalpha():  # an engine's own variable (``_D0``): shown as it is named
        return f"<code>{_e(name)}</code>"
    return to_mathml(sp.Symbol(name), names, display="inline")


def _approx(v: Fraction) -> str:
    try:
        return f"≈ {float(v):.6g}"
    except OverflowError:
        return ""


def _ordered(values: Mapping[str, Fraction], ob: Obligation) -> list[tuple[str, Fraction]]:
    """Parameters in the obligation's order, then the others by name (stable across runs)."""
    order = {p.name: k for k, p in enumerate(ob.params)}
    return sorted(values.items(), key=lambda kv: (order.get(kv[0], len(order)), kv[0]))


def _values_table(values: Mapping[str, Fraction], ob: Obligation,
                  names: Mapping[str, Builder]) -> str:
    meaning = {p.name: p.meaning for p in ob.params}
    rows = "".join(
        f'<tr><td class="sym">{_symbol(k, names)}</td><td><code class="exact">{_e(v)}</code>'
        f'</td><td class="approx">{_e(_approx(Fraction(v)))}</td>'
        f'<td class="meaning">{_e(meaning.get(k, ""))}</td></tr>'
        for k, v in _ordered(values, ob))
    return ('<table class="values"><thead><tr><th>symbol</th><th>exact value</th><th></th>'
            f'<th>meaning</th></tr></thead><tbody>{rows}</tbody></table>')


def _witness(w: Witness, ob: Obligation, names: Mapping[str, Builder]) -> str:
    data = w.as_json()
    sides = "".join(f"<tr><td><code>{_e(k)}</code></td><td>∈ <code class=\"exact\">{_e(v)}"
                    "</code></td></tr>" for k, v in w.claim_sides.items())
    out = ['<div class="witness"><h5>Certified counterexample'
           f'<span class="src">{_e(data.get("found_by", ""))}</span></h5>',
           "<p>Every hypothesis holds and the claim fails at these exact values:</p>",
           _values_table(w.values, ob, names)]
    if sides:
        out.append("<p>Certified enclosures of both sides of the claim there:</p>"
                   f'<table class="sides"><tbody>{sides}</tbody></table>')
    if w.not_applying:
        out.append('<p class="note">Lemma instances whose side conditions fail at the '
                   f"witness: {_e(', '.join(w.not_applying))}</p>")
    out.append("</div>")
    return "".join(out)


# -- obligations ------------------------------------------------------------------------------
def _facts(o: ObligationReport, names: Mapping[str, Builder]) -> str:
    ob = o.obligation
    sides = {s.obligation.id: s for s in o.sides}
    items = []
    for k, f in enumerate(ob.facts):
        side = sides.get(f"{ob.id}#side{k}:{f.lemma.name}")
        status = ""
        if side is not None:
            by = f" ({', '.join(side.proved_by)})" if side.proved_by else ""
            status = (f'<span class="side">side conditions {_vbadge(side.verdict)}'
                      f"{_e(by)}</span>")
        items.append(f'<li><span class="lemma-name">{_e(f.lemma.name)}</span> '
                     f"<span class=\"lstatus\">{_e(f.lemma.status)}</span>{status}"
                     f"{to_mathml(f.conclusion, names)}</li>")
    return (f'<h6>Lemma instances used</h6><ul class="facts">{"".join(items)}</ul>'
            if items else "")


def _engines(o: ObligationReport) -> str:
    rows = "".join(f"<tr><td>{_e(r.engine)}</td><td>{_vbadge(r.verdict)}</td>"
                   f"<td>{_e(r.reason)}</td></tr>" for r in o.results)
    return (f'<h6>Engine answers</h6><table class="engines"><tbody>{rows}</tbody></table>'
            if rows else "")


def _details(o: ObligationReport, names: Mapping[str, Builder]) -> str:
    ob = o.obligation
    parts = []
    if ob.definitions:
        parts.append("<h6>Definitions (substituted before any engine sees the formula)</h6>"
                     + "".join(_definition(s, d, names) for s, d in ob.definitions))
    parts.append(_facts(o, names))
    doms = "".join(f"<li>{_symbol(p.name, names)} <code>{_e(p.describe())}</code>"
                   f'<span class="meaning">{_e(p.meaning)}</span></li>' for p in ob.params)
    parts.append(f'<h6>Parameters and domains</h6><ul class="domains">{doms}</ul>')
    if o.hypotheses_point:
        parts.append("<h6>Certified hypothesis point (the hypotheses are satisfiable: the "
                     "proof is not vacuous)</h6>" + _values_table(o.hypotheses_point, ob, names))
    if o.premises:
        parts.append('<h6>Trusted premises (cited probability lemmas)</h6><ul class="premises">'
                     + "".join(f"<li>{_e(p)}</li>" for p in o.premises) + "</ul>")
    parts.append(_engines(o))
    opened = "" if o.verdict is Verdict.PROVED else " open"
    return (f"<details{opened}><summary>Definitions, lemma instances, domains, hypothesis "
            f"point, engines</summary>{''.join(parts)}</details>")


def _implication(ob: Obligation, names: Mapping[str, Builder]) -> str:
    hyps = "".join(to_mathml(h, names) for h in ob.hypotheses)
    if not hyps:
        hyps = '<p class="muted">the parameters’ domains only</p>'
    return ('<div class="implication"><div class="lab">assume</div>'
            f'<div class="hyps">{hyps}</div><div class="lab">show</div>'
            f'<div class="concl">{to_mathml(ob.claim, names)}</div></div>')


def _obligation(o: ObligationReport, result: str, ctx: _Ctx) -> str:
    ob = o.obligation
    names = _names(ob)
    anchor = ctx.ob(result, ob.id)
    engines = (f'<span class="engines">proved by {_e(", ".join(o.proved_by))}</span>'
               if o.proved_by else "")
    if o.certified and o.verdict is Verdict.PROVED:
        engines += (f'<span class="engines" title="exact certificate {_e(o.certified)}, '
                    'accepted by the standalone checker">(certified)</span>')
    out = [f'<div class="ob v-{o.verdict.value.lower()}" id="{anchor}"><div class="ob-head">'
           f'<a class="oid" href="#{anchor}">{_e(ob.id)}</a>{_vbadge(o.verdict)}{engines}</div>']
    if ob.text:
        out.append(f'<p class="ob-text">{_e(ob.text)}</p>')
    out.append(_implication(ob, names))
    if o.reason and o.reason != f"proved by {', '.join(o.proved_by)}":
        out.append(f'<p class="reason">{_e(o.reason)}</p>')
    if o.witness is not None:
        out.append(_witness(o.witness, ob, names))
    out.append(_details(o, names))
    out.append("</div>")
    return "".join(out)


# -- steps and chains -------------------------------------------------------------------------
def _link(ctx: _Ctx, result: str, step_id: str) -> str:
    return f'<a class="sref" href="#{ctx.step(result, step_id)}">{_e(step_id)}</a>'


def _finding(rep: ChainReport, s: StepReport, ctx: _Ctx) -> str:
    f = s.step.finding
    if f is None:
        return ""
    out = [f'<div class="finding"><span class="sev sev-{f.severity.rank}">{_e(f.severity)}</span>'
           f'<span class="fkind">{_e(f.kind)}</span>']
    if f.consequence_of:
        out.append(f'<span class="cons">a consequence of '
                   f"{_link(ctx, str(rep.chain.result), f.consequence_of)}</span>")
    if f.proves:
        out.append(f'<p class="proves"><b>Proved:</b> {_e(f.proves)}</p>')
    out.append("</div>")
    return "".join(out)


def _relations(rep: ChainReport, s: StepReport, ctx: _Ctx) -> str:
    st = s.step
    result = str(rep.chain.result)
    out = []
    if st.repairs:
        out.append(f"<li>repairs {_link(ctx, result, st.repairs)}</li>")
    fixes = _fixes(rep, st.id)
    if fixes:
        out.append("<li>repaired by " + ", ".join(
            f"{_link(ctx, result, r.step.id)} {_badge(_key(r), _label(r))}" for r in fixes)
            + "</li>")
    lemmas = _lemmas_of(s)
    if lemmas:
        out.append("<li>uses " + ", ".join(
            f'<a class="lref" href="#{ctx.lemma(n)}">{_e(n)}</a>' for n in lemmas) + "</li>")
    return f'<ul class="relations">{"".join(out)}</ul>' if out else ""


def _step(rep: ChainReport, s: StepReport, ctx: _Ctx) -> str:
    st = s.step
    result = str(rep.chain.result)
    anchor = ctx.step(result, st.id)
    key = _key(s)
    out = [f'<article class="step filterable v-{key.lower()} k-{st.kind.value}" id="{anchor}" '
           f'data-verdict="{key}" data-kind="{st.kind.value}">'
           f'<header><a class="sid" href="#{anchor}">{_e(st.id)}</a>'
           f'{_kind_span(st.kind)}{_badge(key, _label(s))}'
           f'<span class="loc">{_e(st.location)}</span></header>',
           f'<blockquote class="quote">{_e(st.quote)}</blockquote>']
    if st.explanation:
        out.append(f'<p class="why"><b>Why:</b> {_e(st.explanation)}</p>')
    out.append(_finding(rep, s, ctx))
    out.append(_relations(rep, s, ctx))
    out.extend(_obligation(o, result, ctx) for o in s.obligations)
    out.append("</article>")
    return "".join(out)


def _chip(rep: ChainReport, s: StepReport, ctx: _Ctx) -> str:
    key = _key(s)
    loc = str(s.step.location)
    short = "DOES NOT FOLLOW" if s.by_proof and s.verdict is Verdict.INCONCLUSIVE else _label(s)
    return (f'<li class="chip filterable" data-verdict="{key}">'
            f'<a href="#{ctx.step(str(rep.chain.result), s.step.id)}">{_e(s.step.id)}</a>'
            f'<span class="cell" title="{_e(_label(s))}">{_badge(key, short)}</span>'
            f'<span class="loc" title="{_e(loc)}">{_e(loc)}</span></li>')


def _chain_lists(rep: ChainReport, ctx: _Ctx) -> str:
    printed = [s for s in rep.steps if s.step.kind is not StepKind.REPAIRED]
    return ('<div class="chains">'
            f'<div><h4>As printed {_vbadge(rep.faithful)}</h4><ol class="chain">'
            + "".join(_chip(rep, s, ctx) for s in printed) + "</ol></div>"
            f'<div><h4>As repaired {_vbadge(rep.repaired)}</h4><ol class="chain">'
            + "".join(_chip(rep, s, ctx) for s in _as_repaired(rep)) + "</ol></div></div>")


def _counts_line(rep: ChainReport) -> str:
    c = rep.counts()
    paper = sum(1 for s in rep.steps if s.step.kind is StepKind.FAITHFUL)
    fixed = sum(1 for s in rep.steps if s.step.kind is StepKind.REPAIRED)
    return (f'<p class="counts">{paper} printed steps, {fixed} repairs; {sum(c.values())} '
            f"obligations: {c['PROVED']} PROVED, {c['REFUTED']} REFUTED, "
            f"{c['INCONCLUSIVE']} INCONCLUSIVE</p>")


def _chain_section(rep: ChainReport, ctx: _Ctx) -> str:
    ch = rep.chain
    name = str(ch.result)
    anchor = ctx.result(name)
    return "".join([
        f'<section class="result" id="{anchor}"><header class="result-head">'
        f'<h2><a href="#{anchor}">{_e(ch.title)}</a></h2>'
        f'<p class="meta"><code>{_e(name)}</code> · {_e(ch.location)} · as printed '
        f"{_vbadge(rep.faithful)} · repaired {_vbadge(rep.repaired)}</p></header>",
        f'<blockquote class="statement">{_e(ch.statement)}</blockquote>',
        _counts_line(rep),
        f'<div class="result-grid">{_chain_lists(rep, ctx)}<figure class="graph">'
        f"{_chain_svg(rep, ctx)}<figcaption>Dependencies of {_e(name)}: the result, its steps "
        "(repairs indented, ↑ to the step they repair), the lemmas they use (→) and, dashed, "
        "the finding a failure follows from.</figcaption></figure></div>",
        '<div class="steps">', *(_step(rep, s, ctx) for s in rep.steps), "</div></section>"])


# -- dependency graphs (inline SVG, deterministic layered layout) -----------------------------
ROW, BOX_H, BOX_W = 22, 16, 84  # the per-result graph
X_SPINE, X_PRINTED, X_REPAIR, Y_STEPS = 10, 30, 54, 44


def _svg_box(x: int, y: int, w: int, h: int, key: str, label: str, href: str, title: str,
             data: str = "", solid: bool = False) -> str:
    fill, stroke, ink = COLOURS[key]
    if solid:
        fill, ink = stroke, "#ffffff"
    return (f'<a href="#{href}" class="node n-{key.lower()}"{data}><title>{_e(title)}</title>'
            f'<rect x="{x}" y="{y}" width="{w}" height="{h}" rx="3" fill="{fill}" '
            f'stroke="{stroke}"/><text x="{x + w // 2}" y="{y + h // 2}" fill="{ink}" '
            f'text-anchor="middle" dominant-baseline="central">{_e(label)}</text></a>')


def _step_node(rep: ChainReport, s: StepReport, ctx: _Ctx, x: int, y: int, w: int,
               h: int) -> str:
    key = _key(s)
    title = f"{s.step.id} ({_kind_label(s.step.kind)}): {_label(s)} — {s.step.location}"
    data = f' data-step="{_e(s.step.id)}" data-verdict="{key}"'
    return _svg_box(x, y, w, h, key, s.step.id, ctx.step(str(rep.chain.result), s.step.id),
                    title, data)


def _result_node(rep: ChainReport, ctx: _Ctx, x: int, y: int, w: int) -> str:
    name = str(rep.chain.result)
    title = (f"{rep.chain.title}: as printed {rep.faithful.value}, repaired "
             f"{rep.repaired.value}")
    printed = COLOURS[rep.faithful.value][1]
    return (_svg_box(x, y, w, 22, rep.repaired.value, name, ctx.result(name), title,
                     f' data-result="{_e(name)}"', solid=True)
            + f'<circle class="printed" cx="{x + 11}" cy="{y + 11}" r="4.5" fill="{printed}" '
            'stroke="#ffffff" stroke-width="1.5"/>')


def _arrow(x: int, y: int, direction: str, colour: str) -> str:
    d = {"right": f"M{x - 6},{y - 3}L{x},{y}L{x - 6},{y + 3}Z",
         "left": f"M{x + 6},{y - 3}L{x},{y}L{x + 6},{y + 3}Z",
         "up": f"M{x - 3},{y + 6}L{x},{y}L{x + 3},{y + 6}Z"}[direction]
    return f'<path d="{d}" fill="{colour}" stroke="none"/>'


def _rows(rep: ChainReport) -> list[StepReport]:
    """Printed and given steps in the paper's order, each followed by its repairs."""
    out: list[StepReport] = []
    for s in rep.steps:
        if s.step.kind is not StepKind.REPAIRED:
            out.append(s)
            out.extend(_fixes(rep, s.step.id))
    out.extend(s for s in rep.steps if s not in out)
    return out


def _lemma_rows(rows: Sequence[StepReport]) -> dict[str, int]:
    """Each lemma's y: the mean row of the steps that use it, then pushed apart (22 px)."""
    uses: dict[str, list[int]] = {}
    for r, s in enumerate(rows):
        for n in _lemmas_of(s):
            uses.setdefault(n, []).append(Y_STEPS + r * ROW + BOX_H // 2)
    wanted = sorted(uses, key=lambda n: (sum(uses[n]) / len(uses[n]), n))
    out: dict[str, int] = {}
    floor = Y_STEPS + BOX_H // 2
    for n in wanted:
        y = max(floor, round(sum(uses[n]) / len(uses[n])))
        out[n] = y
        floor = y + ROW
    return out


def _edges(rows: Sequence[StepReport], lemma_y: Mapping[str, int], lemma_x: int) -> list[str]:
    row_of = {s.step.id: r for r, s in enumerate(rows)}
    cy = [Y_STEPS + r * ROW + BOX_H // 2 for r in range(len(rows))]
    grey, dark, red = "#8c959f", "#57606a", "#c62828"
    out = []
    bus = X_REPAIR + BOX_W + 8
    for r, s in enumerate(rows):
        fixed = s.step.kind is StepKind.REPAIRED
        x0 = X_REPAIR if fixed else X_PRINTED
        out.append(f'<path class="e-result" d="M{X_SPINE},{cy[r] + (4 if fixed else 0)}'
                   f'H{x0}" stroke="{grey}"/>')
        if fixed and s.step.repairs in row_of:
            top = cy[row_of[s.step.repairs]] + BOX_H // 2
            out.append(f'<path class="e-repair" d="M{X_REPAIR},{cy[r] - 3}H{X_PRINTED + 12}'
                       f'V{top + 5}" stroke="{dark}"/>' + _arrow(X_PRINTED + 12, top, "up", dark))
        cause = s.step.finding.consequence_of if s.step.finding else ""
        if cause in row_of:
            t = cy[row_of[cause]]
            bend = X_PRINTED - 8 - min(8, abs(r - row_of[cause]))
            out.append(f'<path class="e-cause" d="M{X_PRINTED},{cy[r]}C{bend},{cy[r]} {bend},'
                       f'{t} {X_PRINTED - 5},{t}" stroke="{red}" stroke-dasharray="3 2"/>'
                       + _arrow(X_PRINTED, t, "right", red))
        for n in _lemmas_of(s):
            y, mid = lemma_y[n], (bus + lemma_x) // 2
            out.append(f'<path class="e-lemma" d="M{x0 + BOX_W},{cy[r]}H{bus}C{mid},{cy[r]} '
                       f'{mid},{y} {lemma_x - 5},{y}" stroke="{grey}"/>')
            out.append(_arrow(lemma_x, y, "right", grey))
    return out


def _chain_svg(rep: ChainReport, ctx: _Ctx) -> str:
    rows = _rows(rep)
    lemma_y = _lemma_rows(rows)
    lemma_x = X_REPAIR + BOX_W + 70
    lemma_w = max([len(n) for n in lemma_y] + [6]) * 7 + 16
    width = lemma_x + lemma_w + 6 if lemma_y else X_REPAIR + BOX_W + 10
    bottom = max([Y_STEPS + len(rows) * ROW] + [y + ROW for y in lemma_y.values()])
    name = str(rep.chain.result)
    out = [f'<svg class="depgraph" data-graph="{_e(name)}" viewBox="0 0 {width} {bottom}" '
           f'width="{width}" height="{bottom}" role="img" '
           f'aria-label="dependency graph of {_e(name)}">',
           f'<path class="e-result" d="M{X_SPINE},28V{Y_STEPS + (len(rows) - 1) * ROW + 12}" '
           'stroke="#8c959f"/>',
           *_edges(rows, lemma_y, lemma_x),
           _result_node(rep, ctx, 2, 4, max(150, len(name) * 8 + 24))]
    for r, s in enumerate(rows):
        x = X_REPAIR if s.step.kind is StepKind.REPAIRED else X_PRINTED
        out.append(_step_node(rep, s, ctx, x, Y_STEPS + r * ROW, BOX_W, BOX_H))
    for n, y in lemma_y.items():
        out.append(_svg_box(lemma_x, y - 9, lemma_w, 18, "LEMMA", n, ctx.lemma(n),
                            f"lemma {n}", f' data-lemma="{_e(n)}"'))
    out.append("</svg>")
    return "".join(out)


BAND_W, PER_ROW, O_ROW, O_BOX_H, O_BOX_W = 166, 7, 17, 13, 64  # the overview


def _band_rows(rep: ChainReport) -> list[tuple[StepReport | None, StepReport | None]]:
    """A printed (or given) step and its first repair on one row; more repairs below."""
    out: list[tuple[StepReport | None, StepReport | None]] = []
    for s in rep.steps:
        if s.step.kind is StepKind.REPAIRED:
            continue
        fixes = _fixes(rep, s.step.id)
        out.append((s, fixes[0] if fixes else None))
        out.extend((None, f) for f in fixes[1:])
    return out


def _band(rep: ChainReport, ctx: _Ctx, bx: int, by: int) -> list[str]:
    rows = _band_rows(rep)
    xp, xr = bx + 16, bx + 16 + O_BOX_W + 12
    cy = [by + 34 + r * O_ROW + O_BOX_H // 2 for r in range(len(rows))]
    last = max((cy[r] for r, (p, _) in enumerate(rows) if p is not None), default=by + 30)
    out = [f'<path d="M{bx + 7},{by + 26}V{last}" stroke="#8c959f"/>']
    for r, (p, f) in enumerate(rows):
        if p is not None:
            out.append(f'<path d="M{bx + 7},{cy[r]}H{xp}" stroke="#8c959f"/>')
            out.append(_step_node(rep, p, ctx, xp, cy[r] - O_BOX_H // 2, O_BOX_W, O_BOX_H))
        if f is not None:
            out.append(f'<path d="M{xr},{cy[r]}H{xp + O_BOX_W + 5}" stroke="#57606a"/>'
                       + _arrow(xp + O_BOX_W, cy[r], "left", "#57606a"))
            out.append(_step_node(rep, f, ctx, xr, cy[r] - O_BOX_H // 2, O_BOX_W, O_BOX_H))
    out.append(_result_node(rep, ctx, bx + 2, by + 2, BAND_W - 12))
    return out


def _overview_svg(reports: Sequence[ChainReport], ctx: _Ctx) -> str:
    """One column band per result: its printed steps down the left, each repair to the right
    of the step it repairs (← points at the repaired step)."""
    out: list[str] = []
    top = 0
    for start in range(0, len(reports), PER_ROW):
        group = reports[start:start + PER_ROW]
        for k, rep in enumerate(group):
            out.extend(_band(rep, ctx, k * BAND_W, top))
        top += 34 + max(len(_band_rows(r)) for r in group) * O_ROW + 14
    width = BAND_W * min(PER_ROW, max(1, len(reports)))
    return (f'<svg id="depgraph" class="depgraph overview" viewBox="0 0 {width} {top}" '
            f'width="{width}" height="{top}" role="img" aria-label="overview of every result '
            f'and step">{"".join(out)}</svg>')


# -- header, errata, lemmas -------------------------------------------------------------------
def _tally(keys: Iterable[str]) -> dict[str, int]:
    out = dict.fromkeys(KEYS, 0)
    for k in keys:
        out[k] += 1
    return out


def _stat(label: str, counts: Mapping[str, int], note: str = "") -> str:
    cells = "".join(f'<span class="cnt v-{k.lower()}"><b>{n}</b> {_e(k)}</span>'
                    for k, n in counts.items() if n)
    extra = f'<span class="note">{_e(note)}</span>' if note else ""
    return f'<div class="stat"><h3>{_e(label)}</h3><div>{cells}</div>{extra}</div>'


def _stats(reports: Sequence[ChainReport], errata: Sequence[Erratum]) -> str:
    steps = [s for r in reports for s in r.steps]
    obs = [o.verdict.value for s in steps for o in s.obligations]
    sev: dict[str, int] = {}
    for e in sorted(errata, key=lambda e: _sev_rank(e.severity)):
        sev[e.severity] = sev.get(e.severity, 0) + 1
    indep = sum(1 for e in errata if not e.consequence_of)
    return '<div class="stats">' + "".join([
        _stat("Results as printed", _tally(r.faithful.value for r in reports)),
        _stat("Results repaired", _tally(r.repaired.value for r in reports)),
        _stat("Printed steps", _tally(_key(s) for s in steps
                                      if s.step.kind is not StepKind.REPAIRED)),
        _stat("Repairs", _tally(_key(s) for s in steps if s.step.kind is StepKind.REPAIRED)),
        _stat("Obligations", _tally(obs)),
        f'<div class="stat"><h3>Errata</h3><div><span class="cnt"><b>{len(errata)}</b> '
        f"findings, {indep} independent</span></div><span class=\"note\">"
        + _e(", ".join(f"{n} {k}" for k, n in sev.items())) + "</span></div>"]) + "</div>"


def _sev_rank(severity: str) -> int:
    try:
        return Severity(severity).rank
    except ValueError:
        return len(Severity)


def _toc(reports: Sequence[ChainReport], ctx: _Ctx) -> str:
    rows = []
    for rep in reports:
        c = rep.counts()
        paper = sum(1 for s in rep.steps if s.step.kind is StepKind.FAITHFUL)
        fixed = sum(1 for s in rep.steps if s.step.kind is StepKind.REPAIRED)
        name = str(rep.chain.result)
        rows.append(f'<tr><td><a href="#{ctx.result(name)}"><code>{_e(name)}</code></a></td>'
                    f"<td>{_e(rep.chain.title)}</td><td>{_e(rep.chain.location)}</td>"
                    f'<td class="num">{paper} / {fixed}</td><td class="num">{c["PROVED"]}</td>'
                    f'<td class="num">{c["REFUTED"]}</td><td class="num">{c["INCONCLUSIVE"]}'
                    f"</td><td>{_vbadge(rep.faithful)}</td><td>{_vbadge(rep.repaired)}</td></tr>")
    return ('<table class="toc"><thead><tr><th>result</th><th>title</th><th>location</th>'
            '<th class="num">steps (printed / repairs)</th><th class="num">proved</th>'
            '<th class="num">refuted</th><th class="num">inconcl.</th><th>as printed</th>'
            f'<th>repaired</th></tr></thead><tbody>{"".join(rows)}</tbody></table>')


def _header(reports: Sequence[ChainReport], errata: Sequence[Erratum], paper: str,
            title: str) -> str:
    ok = all(r.repaired is Verdict.PROVED for r in reports)
    status = ("Every repaired chain is PROVED" if ok
              else "Some repaired chain is NOT proved")
    return (f'<header class="top"><p class="kicker">bebcheck audit report · {_e(paper)}</p>'
            f"<h1>{_e(title)}</h1>"
            f'<p class="status {"ok" if ok else "bad"}">{"✓" if ok else "✗"} {_e(status)} '
            f'<span>({len(reports)} results)</span></p>{_stats(reports, errata)}</header>')


def _filter_bar(reports: Sequence[ChainReport]) -> str:
    n = _tally(_key(s) for r in reports for s in r.steps)
    boxes = "".join(
        f'<label class="v-{k.lower()}"><input type="checkbox" data-filter value="{k}" checked> '
        f"{_e(k.capitalize())} <span class=\"n\">{n[k]}</span></label>" for k in KEYS)
    return ('<nav class="toolbar" aria-label="filter"><span class="lab">Show steps:</span>'
            f'{boxes}<span id="filter-count" class="muted"></span>'
            '<a href="#results">Results</a><a href="#errata">Errata</a>'
            '<a href="#lemmas">Lemmas</a></nav>')


_HOW = {"witness": "refuted by a certified witness", "proof": "refuted by proof",
        "does not follow": "does not follow (the gap is proved)"}


def _step_ref(ctx: _Ctx, result: str, step_id: str) -> str:
    anchor = ctx.ids.by_key.get(("step", result, step_id))
    return (f'<a class="sref" href="#{anchor}">{_e(step_id)}</a>' if anchor
            else f'<span class="sref">{_e(step_id)}</span>')


def _structured(value: Any) -> str:
    """A field of unknown shape (``realisability``): mappings and lists as lists, else text."""
    if isinstance(value, Mapping):
        return "<dl>" + "".join(f"<dt>{_e(k)}</dt><dd>{_structured(v)}</dd>"
                                for k, v in value.items()) + "</dl>"
    if isinstance(value, list | tuple):
        return "<ul>" + "".join(f"<li>{_structured(v)}</li>" for v in value) + "</ul>"
    if hasattr(value, "as_json"):
        return _structured(value.as_json())
    return _e(value)


def _erratum_witness(w: Mapping[str, Any], obs: Mapping[str, ObligationReport]) -> str:
    o = obs.get(w.get("obligation", ""))
    if o is not None and o.witness is not None:
        ob = o.obligation
        return (f'<div class="ewit"><p>Certified witness (<code>{_e(ob.id)}</code>) of the '
                f"claim</p>{to_mathml(ob.claim, _names(ob))}"
                f"{_witness(o.witness, ob, _names(ob))}</div>")
    vals = ", ".join(f"{k} = {v}" for k, v in w.get("values", {}).items())
    sides = "; ".join(f"{k} ∈ {v}" for k, v in w.get("certified", {}).items())
    return (f'<div class="ewit"><p>Certified witness (<code>{_e(w.get("obligation", ""))}'
            f"</code>): <code>{_e(vals)}</code></p><p><code>{_e(sides)}</code></p></div>")


def _erratum(e: Erratum, ctx: _Ctx, obs: Mapping[str, ObligationReport]) -> str:
    anchor = ctx.erratum(e.result, e.id)
    out = [f'<article class="erratum" id="{anchor}"><header>'
           f"{_step_ref(ctx, e.result, e.id)}<span class=\"sev sev-{_sev_rank(e.severity)}\">"
           f'{_e(e.severity)}</span><span class="how">{_e(_HOW.get(e.refuted_by, e.refuted_by))}'
           f'</span><span class="loc">{_e(e.location)} · <code>{_e(e.result)}</code></span>'
           f'</header><blockquote class="quote">{_e(e.quote)}</blockquote>']
    if e.consequence_of:
        out.append(f'<p class="cons">A consequence of {_step_ref(ctx, e.result, e.consequence_of)}'
                   ": the same gap makes it fail.</p>")
    if e.what:
        out.append(f"<p><b>What is wrong.</b> {_e(e.what)}</p>")
    realisability = getattr(e, "realisability", None)
    if realisability:
        out.append(f'<div class="realis"><b>Realisability.</b> {_structured(realisability)}'
                   "</div>")
    out.extend(_erratum_witness(w, obs) for w in e.witnesses)
    if e.proofs:
        out.append("<ul class=\"proofs\">" + "".join(f"<li>{_e(p)}</li>" for p in e.proofs)
                   + "</ul>")
    for c in e.corrections:
        out.append(f'<p class="fix"><b>Correction</b> {_step_ref(ctx, e.result, c["id"])} '
                   f'{_badge(c["verdict"] if c["verdict"] in KEYS else "GIVEN", c["verdict"])} '
                   f'{_e(c["statement"])}<span class="muted"> — {_e(c["engines"])}</span></p>')
    out.append("</article>")
    return "".join(out)


def _errata_section(errata: Sequence[Erratum], reports: Sequence[ChainReport],
                    ctx: _Ctx) -> str:
    obs = {o.obligation.id: o for r in reports for s in r.steps for o in s.obligations}
    body = "".join(_erratum(e, ctx, obs) for e in errata) or "<p>No findings.</p>"
    return (f'<section id="errata"><h2>Errata sheet</h2><p class="lead">{len(errata)} '
            "findings, most serious first: where, what the paper prints, what is wrong, the "
            f"certified evidence and the proved correction.</p>{body}</section>")


def _lemma_objects(reports: Sequence[ChainReport]) -> dict[str, Lemma]:
    found = dict(LEMMAS)
    for r in reports:
        for s in r.steps:
            for o in s.step.obligations:
                found.update((f.lemma.name, f.lemma) for f in o.facts)
    return found


def _lemmas_section(reports: Sequence[ChainReport], ctx: _Ctx) -> str:
    users: dict[str, list[tuple[str, str]]] = {}
    for r in reports:
        for s in r.steps:
            for n in _lemmas_of(s):
                users.setdefault(n, []).append((str(r.chain.result), s.step.id))
    known = _lemma_objects(reports)
    items = []
    for n in sorted(users):
        lem = known.get(n)
        what = (f'<span class="lstatus">{_e(lem.status)}</span> {_e(lem.statement)}'
                f'<span class="muted"> — {_e(lem.source)}</span>'
                + implication(lem.hypotheses, lem.conclusion)
                + (f'<p class="premise">Trusted premise: {_e(lem.premise)}</p>'
                   if lem.premise else "") if lem else
                '<span class="muted">named by the proof; not in the lemma library</span>')
        refs = ", ".join(_step_ref(ctx, res, sid) for res, sid in users[n])
        items.append(f'<li id="{ctx.lemma(n)}"><code class="lemma-name">{_e(n)}</code> {what}'
                     f'<p class="users">used by {refs}</p></li>')
    return (f'<section id="lemmas"><h2>Lemmas</h2><ul class="lemmas">{"".join(items)}</ul>'
            "</section>")


# -- the document -----------------------------------------------------------------------------
CSS = """
:root { --ink: #1f2328; --muted: #59636e; --line: #d1d9e0; --bg: #f6f8fa; --card: #ffffff;
  --accent: #0b5cad; --proved: #1a7f37; --refuted: #c62828; --inconclusive: #b7791f;
  --given: #8a94a3; }
* { box-sizing: border-box; }
html { scroll-padding-top: 56px; }
body { margin: 0; background: var(--bg); color: var(--ink); font: 15px/1.55 system-ui,
  -apple-system, "Segoe UI", Roboto, "Helvetica Neue", "DejaVu Sans", Arial, sans-serif; }
main, header.top { max-width: 1200px; margin: 0 auto; padding: 0 24px; }
a { color: var(--accent); text-decoration: none; } a:hover { text-decoration: underline; }
code, .sid, .oid, .sref { font-family: ui-monospace, "SFMono-Regular", "DejaVu Sans Mono",
  Menlo, Consolas, monospace; font-size: 0.88em; }
h1 { font-size: 1.85rem; line-height: 1.25; margin: 4px 0 12px; font-weight: 650; }
h2 { font-size: 1.35rem; margin: 0; font-weight: 650; }
h2 a { color: inherit; }
h3 { font-size: 0.75rem; text-transform: uppercase; letter-spacing: .06em; color: var(--muted);
  margin: 0 0 6px; font-weight: 600; }
h4 { font-size: 0.95rem; margin: 0 0 8px; display: flex; gap: 8px; align-items: center; }
h5 { font-size: 0.9rem; margin: 0 0 6px; display: flex; gap: 10px; align-items: baseline; }
h6 { font-size: 0.78rem; text-transform: uppercase; letter-spacing: .05em; color: var(--muted);
  margin: 14px 0 6px; }
header.top { padding-top: 28px; padding-bottom: 8px; }
.kicker { margin: 0; color: var(--muted); font-size: .85rem; letter-spacing: .03em; }
.status { display: table; margin: 0 0 16px; padding: 8px 14px; border-radius: 6px;
  font-weight: 600; }
.status span { font-weight: 400; color: var(--muted); }
.status.ok { background: #dcf3e2; color: #0f4d22; border: 1px solid #a6dcb5; }
.status.bad { background: #fde3e1; color: #7f1414; border: 1px solid #f1aaa5; }
.stats { display: grid; grid-template-columns: repeat(auto-fit, minmax(170px, 1fr)); gap: 10px;
  margin-bottom: 18px; }
.stat { background: var(--card); border: 1px solid var(--line); border-radius: 8px;
  padding: 10px 12px; }
.stat > div { display: flex; flex-wrap: wrap; gap: 4px 10px; font-size: .85rem; }
.stat .note { display: block; color: var(--muted); font-size: .78rem; margin-top: 4px; }
.cnt b { font-size: 1.15rem; font-variant-numeric: tabular-nums; }
.cnt.v-proved b { color: var(--proved); } .cnt.v-refuted b { color: var(--refuted); }
.cnt.v-inconclusive b { color: var(--inconclusive); } .cnt.v-given b { color: var(--given); }
.toolbar { position: sticky; top: 0; z-index: 5; display: flex; flex-wrap: wrap; gap: 6px 14px;
  align-items: center; padding: 8px max(24px, calc((100% - 1152px) / 2)); background: #fffffff0;
  border-bottom: 1px solid var(--line); box-shadow: 0 1px 3px #1f232814; font-size: .88rem; }
.toolbar label { display: inline-flex; gap: 5px; align-items: center; cursor: pointer;
  padding: 2px 9px; border-radius: 999px; border: 1px solid var(--line); background: #fff; }
.toolbar .n { color: var(--muted); font-variant-numeric: tabular-nums; }
.toolbar .lab { font-weight: 600; }
.toolbar a { margin-left: 6px; }
.toolbar #filter-count { margin-right: auto; }
.muted { color: var(--muted); }
section { margin: 26px 0; }
.card, section.result, #overview, #errata, #lemmas { background: var(--card);
  border: 1px solid var(--line); border-radius: 10px; padding: 18px 22px; }
.lead { color: var(--muted); margin-top: 4px; }
table { border-collapse: collapse; font-size: .86rem; }
th, td { text-align: left; padding: 5px 8px; border-bottom: 1px solid #e6eaef;
  vertical-align: top; }
th { font-weight: 600; color: var(--muted); font-size: .78rem; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
table.toc { width: 100%; margin-top: 10px; }
table.toc tbody tr:hover { background: #f3f6f9; }
.badge { display: inline-block; padding: 1px 8px; border-radius: 999px; font-size: .72rem;
  font-weight: 650; letter-spacing: .02em; white-space: nowrap; border: 1px solid; }
.badge.v-proved { background: #dcf3e2; color: #0f4d22; border-color: #a6dcb5; }
.badge.v-refuted { background: #fde3e1; color: #7f1414; border-color: #f1aaa5; }
.badge.v-inconclusive { background: #fff0c7; color: #6b4500; border-color: #ecc870; }
.badge.v-given { background: #eceff3; color: #3d4652; border-color: #c9d0d9; }
.result-head .meta { margin: 4px 0 0; color: var(--muted); font-size: .88rem; }
blockquote { margin: 10px 0; padding: 6px 14px; border-left: 3px solid #c9d0d9;
  background: #f8f9fb; font-family: "Charter", "Georgia", "DejaVu Serif", serif;
  color: #2b3137; }
.counts { color: var(--muted); font-size: .86rem; margin: 6px 0 12px; }
.result-grid { display: grid; grid-template-columns: minmax(0, 1fr) auto; gap: 24px;
  align-items: start; }
.chains { display: grid; grid-template-columns: 1fr 1fr; gap: 16px; min-width: 0; }
ol.chain { list-style: none; margin: 0; padding: 0; font-size: .82rem; display: grid;
  grid-template-columns: max-content max-content minmax(0, 1fr); }
.chip { display: contents; }
.chip > * { padding: 3px 8px 3px 0; border-bottom: 1px dotted #e1e6eb; white-space: nowrap; }
.chip a { font-family: ui-monospace, "DejaVu Sans Mono", monospace; }
.chip .loc { color: var(--muted); overflow: hidden; text-overflow: ellipsis; padding-right: 0; }
figure.graph { margin: 0; }
figure.graph figcaption { font-size: .75rem; color: var(--muted); max-width: 460px; }
svg.depgraph { max-width: 100%; height: auto; font-family: ui-monospace, "DejaVu Sans Mono",
  monospace; font-size: 11px; }
svg.depgraph path { fill: none; stroke-width: 1; }
svg.overview { font-size: 10px; display: block; margin: 8px auto 0; }
svg .node rect { stroke-width: 1.2; }
svg .node:hover rect { stroke-width: 2.4; }
svg circle.printed { pointer-events: none; }
.legend { display: flex; flex-wrap: wrap; gap: 14px; font-size: .8rem; color: var(--muted); }
.legend i { display: inline-block; width: 12px; height: 12px; border-radius: 3px;
  vertical-align: -2px; margin-right: 5px; border: 1px solid; }
.legend .v-proved { background: #dcf3e2; border-color: var(--proved); }
.legend .v-refuted { background: #fde3e1; border-color: var(--refuted); }
.legend .v-inconclusive { background: #fff0c7; border-color: var(--inconclusive); }
.legend .v-given { background: #eceff3; border-color: var(--given); }
.legend .lemma { background: #fff; border-color: #5b6b8c; }
.steps { margin-top: 18px; display: grid; gap: 12px; }
article.step { border: 1px solid var(--line); border-left: 4px solid var(--given);
  border-radius: 8px; padding: 12px 16px; background: #fff; }
article.step.v-proved { border-left-color: var(--proved); }
article.step.v-refuted { border-left-color: var(--refuted); }
article.step.v-inconclusive { border-left-color: var(--inconclusive); }
article.step.k-repaired { margin-left: 28px; background: #fbfdfb; }
article.step > header, article.erratum > header { display: flex; flex-wrap: wrap; gap: 6px 10px;
  align-items: center; }
.sid { font-weight: 700; font-size: 1rem; color: var(--ink); }
.kind { font-size: .72rem; text-transform: uppercase; letter-spacing: .05em;
  color: var(--muted); }
.loc { color: var(--muted); font-size: .86rem; }
.why, .proves { margin: 6px 0; font-size: .92rem; }
.finding { display: flex; flex-wrap: wrap; gap: 6px 12px; align-items: baseline;
  font-size: .86rem; margin: 6px 0; }
.sev { font-weight: 650; padding: 1px 8px; border-radius: 4px; background: #f0e7fb;
  color: #5a2d91; font-size: .76rem; text-transform: uppercase; letter-spacing: .04em; }
.sev-0 { background: #fde3e1; color: #7f1414; } .sev-1 { background: #fff0c7; color: #6b4500; }
.sev-2 { background: #e7f0fb; color: #0b4a8b; } .sev-3 { background: #eceff3; color: #3d4652; }
.fkind, .how { color: var(--muted); font-style: italic; }
ul.relations { list-style: none; padding: 0; margin: 6px 0; display: flex; flex-wrap: wrap;
  gap: 4px 18px; font-size: .85rem; color: var(--muted); }
.ob { border-top: 1px solid #e6eaef; margin-top: 10px; padding-top: 10px; }
.ob-head { display: flex; flex-wrap: wrap; gap: 6px 10px; align-items: center; }
.oid { color: var(--ink); font-weight: 600; }
.engines { font-size: .8rem; color: var(--muted); }
.ob-text { margin: 4px 0; font-size: .9rem; }
.reason { margin: 4px 0; font-size: .8rem; color: var(--muted); }
.implication { display: grid; grid-template-columns: 4.2em minmax(0, 1fr); gap: 2px 10px;
  margin: 8px 0; padding: 8px 12px; background: #fafbfc; border: 1px solid #eef1f4;
  border-radius: 6px; overflow-x: auto; }
.implication .lab, .claim .lab { font-size: .72rem; text-transform: uppercase;
  letter-spacing: .05em; color: var(--muted); padding-top: .55em; }
.implication .hyps, .implication .concl { min-width: 0; }
math { font-family: "STIX Two Math", "Latin Modern Math", "Cambria Math", "DejaVu Serif",
  math; font-size: 1.08em; }
math[display="block"] { width: fit-content; max-width: 100%; margin: 7px 0; }
.witness { margin: 8px 0; padding: 8px 12px; border: 1px solid #f1aaa5; background: #fff8f7;
  border-radius: 6px; }
.witness .src { font-weight: 400; color: var(--muted); font-size: .8rem; }
.witness p { margin: 4px 0; font-size: .85rem; }
table.values td.sym { min-width: 3em; }
code.exact { word-break: break-all; }
td.approx, td.meaning, .meaning { color: var(--muted); font-size: .8rem; }
.meaning { margin-left: 8px; }
details { margin-top: 6px; font-size: .86rem; }
summary { cursor: pointer; color: var(--accent); font-size: .82rem; }
ul.facts, ul.domains, ul.premises { margin: 0; padding-left: 18px; }
ul.facts li { margin: 4px 0; }
.lemma-name { font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-weight: 600; }
.lstatus, .side { font-size: .78rem; color: var(--muted); margin-left: 8px; }
.lstatus { text-transform: uppercase; letter-spacing: .05em; font-weight: 600; }
article.erratum { border-top: 1px solid var(--line); padding: 14px 0; }
article.erratum:first-of-type { border-top: 0; }
.ewit { margin: 6px 0; }
.ewit > p { margin: 4px 0; font-size: .86rem; }
.fix { font-size: .9rem; }
.cons { font-size: .86rem; color: var(--muted); }
.realis { margin: 6px 0; padding: 6px 10px; border-left: 3px solid #5b6b8c;
  background: #f4f6fa; font-size: .88rem; }
ul.lemmas { list-style: none; padding: 0; margin: 0; }
ul.lemmas li { padding: 8px 0; border-bottom: 1px solid #eef1f4; font-size: .9rem; }
.users, .premise { margin: 2px 0 0; font-size: .8rem; color: var(--muted); }
footer { max-width: 1200px; margin: 0 auto; padding: 10px 24px 40px; color: var(--muted);
  font-size: .8rem; }
[hidden] { display: none !important; }
:target { scroll-margin-top: 56px; }
article.step:target, .ob:target, li:target, article.erratum:target {
  box-shadow: 0 0 0 3px #0b5cad40; }
@media (max-width: 900px) { .result-grid, .chains { grid-template-columns: 1fr; } }
@media print { .toolbar { display: none; } details { display: block; } }
"""

JS = """
(function () {
  "use strict";
  var body = document.body;
  var problems = [];
  function note(text) {
    problems.push(text);
    body.setAttribute("data-js-errors", problems.join(" | "));
  }
  window.addEventListener("error", function (ev) { note(String(ev.message)); });
  document.addEventListener("securitypolicyviolation", function (ev) {
    note("CSP blocked " + ev.violatedDirective);
  });
  var boxes = Array.prototype.slice.call(document.querySelectorAll("input[data-filter]"));
  var items = Array.prototype.slice.call(document.querySelectorAll(".filterable[data-verdict]"));
  var steps = items.filter(function (el) { return el.classList.contains("step"); });
  var count = document.getElementById("filter-count");
  function apply() {
    var on = {};
    boxes.forEach(function (b) { on[b.value] = b.checked; });
    items.forEach(function (el) { el.hidden = on[el.getAttribute("data-verdict")] === false; });
    var shown = steps.filter(function (el) { return !el.hidden; }).length;
    if (count) { count.textContent = shown + " of " + steps.length + " steps shown"; }
  }
  boxes.forEach(function (b) { b.addEventListener("change", apply); });
  apply();
  function measure() {
    var fracs = document.querySelectorAll("math mfrac");
    for (var i = 0; i < fracs.length; i += 1) {
      var height = fracs[i].getBoundingClientRect().height;
      if (height > 0) {
        var host = fracs[i].closest("math").parentNode;
        var probe = document.createElement("span");
        probe.textContent = "Mx";
        host.appendChild(probe);
        var line = probe.getBoundingClientRect().height;
        host.removeChild(probe);
        body.setAttribute("data-math-frac-height", height.toFixed(1));
        body.setAttribute("data-text-line-height", line.toFixed(1));
        return;
      }
    }
  }
  function shown(key) {
    return steps.filter(function (el) {
      return !el.hidden && el.getAttribute("data-verdict") === key;
    }).length;
  }
  function selftest() {
    var fails = [], seen = [];
    boxes.forEach(function (b) {
      var before = shown(b.value), all = steps.filter(function (el) { return !el.hidden; });
      b.checked = false; apply();
      var after = steps.filter(function (el) { return !el.hidden; }).length;
      if (shown(b.value) !== 0) { fails.push(b.value + " still shown"); }
      if (after !== all.length - before) { fails.push(b.value + " hid other steps"); }
      b.checked = true; apply();
      if (shown(b.value) !== before) { fails.push(b.value + " not restored"); }
      seen.push(b.value + ":" + before);
    });
    body.setAttribute("data-selftest-counts", seen.join(","));
    body.setAttribute("data-selftest", fails.length ? "fail: " + fails.join("; ") : "ok");
  }
  measure();
  if (window.location.hash === "#selftest") { selftest(); }
  body.setAttribute("data-script", "ran");
}());
"""


def _csp_hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


def _legend() -> str:
    keys = "".join(f'<span><i class="v-{k.lower()}"></i>{_e(k.capitalize())}</span>'
                   for k in KEYS)
    return (f'<div class="legend">{keys}<span><i class="lemma"></i>Lemma</span>'
            "<span>Result boxes are filled with the repaired chain’s verdict; their dot "
            "shows the chain as printed.</span></div>")


def _claim_anchors(reports: Sequence[ChainReport], ctx: _Ctx) -> None:
    """Every anchor in document order first, so an id never depends on rendering order."""
    for rep in reports:
        name = str(rep.chain.result)
        ctx.result(name)
        for s in rep.steps:
            ctx.step(name, s.step.id)
            for o in s.obligations:
                ctx.ob(name, o.obligation.id)


def to_html(reports: list[ChainReport], errata: list[Erratum], paper: str, title: str) -> str:
    """The audit as one standalone HTML5 document (``paper``: the citation, ``title``: the
    paper's title).  Nothing is fetched: styles and the filter script are inline and the
    Content-Security-Policy forbids every load.  Same reports, same bytes."""
    ctx = _Ctx()
    _claim_anchors(reports, ctx)
    results = "".join(_chain_section(r, ctx) for r in reports)
    body = "".join([
        _header(reports, errata, paper, title), _filter_bar(reports), "<main>",
        '<section id="overview"><h2>Overview</h2><p class="lead">Every result with its steps '
        "in the paper’s order; a repair sits to the right of the step it repairs. Click a "
        "box for the step.</p>", _legend(), _overview_svg(reports, ctx),
        "<h3>Results</h3>", _toc(reports, ctx), "</section>",
        f'<div id="results">{results}</div>',
        _errata_section(errata, reports, ctx), _lemmas_section(reports, ctx), "</main>",
        f"<footer>Generated by bebcheck from the audit of {_e(paper)}. Verdicts: PROVED by at "
        "least two engines with a certified hypothesis point; REFUTED by a certified witness "
        "(or by proof); INCONCLUSIVE with the reason.</footer>"])
    csp = (f"default-src 'none'; style-src {_csp_hash(CSS)}; script-src {_csp_hash(JS)}; "
           "img-src 'none'; font-src 'none'; connect-src 'none'; base-uri 'none'; "
           "form-action 'none'")
    return ("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            f'<meta http-equiv="Content-Security-Policy" content="{_e(csp)}">\n'
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            '<meta name="referrer" content="no-referrer">\n'
            f"<title>bebcheck audit · {_e(title)}</title>\n<style>{CSS}</style>\n</head>\n"
            f"<body>\n{body}\n<script>{JS}</script>\n</body>\n</html>\n")
