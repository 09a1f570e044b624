"""The standalone HTML report: anchors, escaping, no network, determinism, MathML Core, graph, filter."""

from __future__ import annotations

import base64
import copy
import hashlib
import os
import pickle
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from dataclasses import replace
from html.parser import HTMLParser
from pathlib import Path

import pytest
import sympy as sp

from bebcheck.checks.audit import collect
from bebcheck.checks.audit.mathml import MathMLCorePrinter, notation, to_mathml
from bebcheck.checks.audit.report_html import COLOURS, JS, anchor_slug, to_html
from bebcheck.checks.audit.results import ChainReport
from bebcheck.proofs import DEFAULT

RESULTS = ("theorem1", "lemma_b", "corollary1", "main_text")  # PROVED, REFUTED, by proof
# (MT.1), does-not-follow (C1.1, MT.11), repairs
PLANTED = '<script>alert("x")</script> & β < γ'
# the elements of MathML Core (https://www.w3.org/TR/mathml-core/), and nothing of MathML 3
CORE = {"math", "mrow", "mi", "mn", "mo", "mtext", "mspace", "ms", "mfrac", "msqrt", "mroot",
        "msub", "msup", "msubsup", "munder", "mover", "munderover", "mmultiscripts",
        "mprescripts", "mtable", "mtr", "mtd", "mstyle", "mpadded", "mphantom", "merror",
        "semantics", "annotation", "annotation-xml"}


@pytest.fixture(scope="module")
def reports(checker) -> list[ChainReport]:
    return checker.check_chains([DEFAULT.chain(n) for n in RESULTS])


def _render(reports: list[ChainReport]) -> str:
    return to_html(reports, collect(reports), DEFAULT.citation, DEFAULT.title)


@pytest.fixture(scope="module")
def page(reports) -> str:
    return _render(reports)


class _Doc(HTMLParser):
    """Every id, every href, and the step nodes of the overview graph."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: list[str] = []
        self.hrefs: list[str] = []
        self.srcs: list[str] = []
        self.nodes: dict[str, tuple[str, str]] = {}  # step id -> (verdict, fill) in #depgraph
        self._in_overview = 0
        self._node: tuple[str, str] | None = None
        self.feed(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if "id" in a:
            self.ids.append(a["id"])
        if "href" in a:
            self.hrefs.append(a["href"])
        if "src" in a:
            self.srcs.append(a["src"])
        if tag == "svg" and a.get("id") == "depgraph":
            self._in_overview = 1
        if self._in_overview and tag == "a" and "data-step" in a:
            self._node = (a["data-step"], a["data-verdict"])
        if self._in_overview and tag == "rect" and self._node is not None:
            self.nodes[self._node[0]] = (self._node[1], a["fill"])
            self._node = None

    def handle_endtag(self, tag: str) -> None:
        if tag == "svg":
            self._in_overview = 0


def _with_step(rep: ChainReport, step_id: str, **changes: object) -> ChainReport:
    """The report with one step changed, in the chain and in the step's report alike."""
    old = rep.chain.step(step_id)
    new = replace(old, **changes)
    chain = replace(rep.chain, steps=tuple(new if s is old else s for s in rep.chain.steps))
    steps = [replace(s, step=new) if s.step is old else s for s in rep.steps]
    return replace(rep, chain=chain, steps=steps)


def _key(s) -> str:
    return "GIVEN" if s.verdict is None else s.verdict.value


# -- anchors and links ------------------------------------------------------------------------
def test_every_step_has_its_anchor_and_every_id_is_unique(reports, page):
    doc = _Doc(page)
    assert len(doc.ids) == len(set(doc.ids))
    assert all(re.fullmatch(r"[A-Za-z][A-Za-z0-9._-]*", i) for i in doc.ids)
    for rep in reports:
        for s in rep.steps:
            assert f"step-{anchor_slug(s.step.id)}" in doc.ids, s.step.id
    assert "step-T1.2r" in doc.ids and "step-C1.1" in doc.ids


def test_every_internal_link_has_its_target(page):
    doc = _Doc(page)
    targets = set(doc.ids)
    internal = [h[1:] for h in doc.hrefs if h.startswith("#")]
    assert internal and [h for h in internal if h not in targets] == []


def test_anchor_slugs_are_valid_ids_and_distinct_for_distinct_step_ids():
    ids = ["T1.3r", "D.c>b", "D.c>b-4", "a~b/c.d", "a_b", "a_5f_b", "x y", "φ̃.1", "P1.10r"]
    slugs = [anchor_slug(i) for i in ids]
    assert slugs[0] == "T1.3r" and slugs[1] == "D.c_3e_b"
    assert len(set(slugs)) == len(slugs)
    assert all(re.fullmatch(r"[A-Za-z0-9._-]+", s) for s in slugs)


def test_step_ids_with_odd_characters_or_shared_by_two_results_still_get_unique_anchors(
        reports):
    odd = _with_step(reports[0], "T1.0a", id="T1.0a~x/y z")
    twin = replace(reports[1], chain=replace(reports[1].chain, result="lemma_b_copy"))
    doc = _Doc(_render([odd, reports[1], twin]))
    assert len(doc.ids) == len(set(doc.ids))
    assert "step-T1.0a_7e_x_2f_y_20_z" in doc.ids
    assert "step-B.1" in doc.ids and "step-lemma_5f_b_5f_copy-B.1" in doc.ids
    assert all(h[1:] in set(doc.ids) for h in doc.hrefs if h.startswith("#"))


# -- no network, escaping, determinism --------------------------------------------------------
def test_nothing_is_loaded_from_the_network(page):
    doc = _Doc(page)
    assert doc.srcs == []
    assert [h for h in doc.hrefs if not h.startswith("#")] == []
    lowered = page.lower()
    assert "@import" not in lowered
    assert re.search(r"url\(", lowered) is None
    assert re.search(r"""(src|href|action|data)\s*=\s*["']?\s*(https?:|//)""", lowered) is None
    assert re.search(r"<(link|iframe|object|embed|img|audio|video|source)\b", lowered) is None
    csp = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">', page)
    assert csp and "default-src &#x27;none&#x27;" in csp.group(1)


def test_the_csp_admits_exactly_the_inline_style_and_script(page):
    csp = re.search(r'content="(default-src[^"]+)"', page).group(1).replace("&#x27;", "'")
    style = re.search(r"<style>(.*?)</style>", page, re.S).group(1)
    script = re.search(r"<script>(.*?)</script>", page, re.S).group(1)

    def h(text: str) -> str:
        return base64.b64encode(hashlib.sha256(text.encode()).digest()).decode()

    assert f"style-src 'sha256-{h(style)}'" in csp
    assert f"script-src 'sha256-{h(script)}'" in csp
    assert "unsafe-inline" not in csp
    assert page.count("<script") == 1 and page.count("<style") == 1


def test_all_text_is_escaped(reports):
    planted = _with_step(reports[0], "T1.3", quote=PLANTED, explanation=PLANTED)
    page = _render([planted, *reports[1:]])
    assert PLANTED not in page
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; β &lt; γ" in page
    assert page.count("<script") == 1


def test_a_realisability_field_is_shown_escaped_when_an_erratum_has_one(reports):
    errata = collect(reports)
    e = copy.copy(errata[0])
    e.realisability = {"status": "not shown", "note": PLANTED}
    page = to_html(reports, [e, *errata[1:]], DEFAULT.citation, DEFAULT.title)
    assert "Realisability." in page and "not shown" in page and PLANTED not in page
    assert "Realisability." in _render(reports)  # every finding of the v1 audit carries one


def test_two_renders_are_byte_identical(reports, page):
    assert _render(reports) == page


def test_renders_under_other_hash_seeds_are_byte_identical(reports, page, tmp_path):
    """Unpickled in fresh processes, sympy may build its ``And`` arguments in another order."""
    data = tmp_path / "reports.pkl"
    data.write_bytes(pickle.dumps(reports))
    code = ("import pickle, sys\n"
            "from bebcheck.checks.audit import collect\n"
            "from bebcheck.checks.audit.report_html import to_html\n"
            "from bebcheck.proofs import DEFAULT\n"
            "r = pickle.load(open(sys.argv[1], 'rb'))\n"
            "sys.stdout.buffer.write(to_html(r, collect(r), DEFAULT.citation, "
            "DEFAULT.title).encode())\n")
    for seed in ("1", "2"):
        out = subprocess.run([sys.executable, "-c", code, str(data)], capture_output=True,
                             check=True, env={**os.environ, "PYTHONHASHSEED": seed}, timeout=120)
        assert out.stdout.decode() == page, seed


# -- content ----------------------------------------------------------------------------------
def test_verdicts_read_as_in_the_text_report(page):
    card = re.search(r'<article class="step[^"]*" id="step-C1.1".*?</header>', page, re.S)
    assert card and "INCONCLUSIVE (does not follow: proved)" in card.group(0)
    card = re.search(r'<article class="step[^"]*" id="step-MT.1".*?</header>', page, re.S)
    assert card and "REFUTED (by proof)" in card.group(0)
    card = re.search(r'<article class="step[^"]*" id="step-T1.2".*?</header>', page, re.S)
    assert card and ">REFUTED<" in card.group(0)


def test_the_repaired_chain_replaces_each_failing_step_by_its_repair(page):
    section = re.search(r'<section class="result" id="result-theorem1">(.*?)</section>', page,
                        re.S).group(1)
    printed, repaired = re.findall(r'<ol class="chain">(.*?)</ol>', section, re.S)[:2]

    def ids(ol: str) -> list[str]:
        return re.findall(r'<a href="#step-([^"]+)">', ol)

    assert "T1.2" in ids(printed) and "T1.2r" not in ids(printed)
    assert "T1.2r" in ids(repaired) and "T1.2" not in ids(repaired)
    assert "T1.1" in ids(repaired) and ids(repaired).index("T1.2r") == ids(printed).index("T1.2")


def test_witnesses_show_exact_values_and_certified_enclosures(reports, page):
    o = reports[0].step("T1.15").obligations[0]
    assert o.witness is not None
    block = page[page.index(f'id="ob-{anchor_slug(o.obligation.id)}"'):]
    block = block[:block.index("</details>")]
    assert "Certified counterexample" in block
    for v in o.witness.values.values():
        assert f'<code class="exact">{v}</code>' in block
    for side, value in o.witness.claim_sides.items():
        assert side in block and value in block


def test_every_erratum_links_to_its_step(reports, page):
    errata = collect(reports)
    assert errata
    for e in errata:
        start = page.index(f'<article class="erratum" id="erratum-{anchor_slug(e.id)}">')
        header = page[start:page.index("</header>", start)]
        assert f'href="#step-{anchor_slug(e.id)}"' in header, e.id


# -- MathML -----------------------------------------------------------------------------------
def _maths(page: str) -> list[str]:
    return re.findall(r"<math\b.*?</math>", page, re.S)


def test_mathml_is_core_and_parses_as_xml(page):
    maths = _maths(page)
    assert len(maths) > 50
    assert "mfenced" not in page
    tags: set[str] = set()
    for m in maths:
        root = ET.fromstring(m)
        tags |= {el.tag for el in root.iter()}
    assert tags <= CORE, tags - CORE
    assert {"mfrac", "msub", "mo", "mi", "mn"} <= tags
    assert all('display="' in m[:40] for m in maths)


def test_an_mfenced_from_the_printer_becomes_a_row_of_operators():
    class Fenced(MathMLCorePrinter):
        def _print_Tuple(self, e):
            f = self.dom.createElement("mfenced")
            f.setAttribute("open", "[")
            f.setAttribute("close", "]")
            for a in e.args:
                f.appendChild(self._print(a))
            return f

    out = Fenced().core(sp.Tuple(1, sp.Symbol("x")))
    assert out == ('<mrow><mo>[</mo><mn>1</mn><mo>,</mo><mi>x</mi><mo>]</mo></mrow>')


def test_parameters_print_in_their_notation_and_never_alike():
    names = notation([("gp", "\\gamma'"), ("Bm", "B'_{P_-}"), ("n", "n"), ("nmin", "n"),
                      ("X", "log P−(s0)/P+(s0)")])
    m = to_mathml(sp.Symbol("gp") + sp.Symbol("Bm") + sp.Symbol("nmin") + sp.Symbol("X")
                  < sp.Symbol("n"), names)
    assert "<mi>γ</mi><mo lspace=\"0\" rspace=\"0\">′</mo>" in m
    assert "<mi>nmin</mi>" in m and "<mi>X</mi>" in m and "&lt;" in m
    ET.fromstring(m)


# -- graph and filter -------------------------------------------------------------------------
def test_the_graph_has_a_node_per_step_coloured_by_its_verdict(reports, page):
    nodes = _Doc(page).nodes
    for rep in reports:
        for s in rep.steps:
            assert nodes[s.step.id] == (_key(s), COLOURS[_key(s)][0]), s.step.id
    assert {v for v, _ in nodes.values()} >= {"PROVED", "REFUTED", "INCONCLUSIVE", "GIVEN"}


def test_each_result_graph_has_its_steps_lemmas_and_edges(reports, page):
    for rep in reports:
        name = str(rep.chain.result)
        svg = re.search(rf'<svg class="depgraph" data-graph="{name}".*?</svg>', page, re.S)
        assert svg, name
        g = svg.group(0)
        assert f'data-result="{name}"' in g
        for s in rep.steps:
            assert f'data-step="{s.step.id}"' in g
            for lemma in s.step.lemmas:
                assert f'data-lemma="{lemma}"' in g
        assert g.count('class="e-result"') == len(rep.steps) + 1  # the spine and one per step
        repairs = sum(1 for s in rep.steps if s.step.repairs)
        assert g.count('class="e-repair"') == repairs
    t1 = re.search(r'data-graph="theorem1".*?</svg>', page, re.S).group(0)
    assert t1.count('class="e-cause"') == 2  # T1.9 and T1.15 follow from T1.2


def test_the_filter_script_and_its_controls_exist(page):
    for key in ("PROVED", "REFUTED", "INCONCLUSIVE", "GIVEN"):
        assert f'data-filter value="{key}" checked' in page
    assert f"<script>{JS}</script>" in page
    assert 'querySelectorAll("input[data-filter]")' in JS and "#selftest" in JS
    assert page.count('class="step filterable') == sum(1 for _ in re.finditer(
        r'<article class="step ', page))


# -- in a browser -----------------------------------------------------------------------------
def _chromium(path: Path, profile: Path, fragment: str = "") -> tuple[dict[str, str], list[str]]:
    """The ``<body>`` attributes after load, and the console lines, of a headless Chromium."""
    exe = shutil.which("chromium") or "/usr/bin/chromium"
    proc = subprocess.run(
        [exe, "--headless=new", "--no-sandbox", "--disable-gpu", "--enable-logging=stderr",
         "--v=0", "--no-first-run", f"--user-data-dir={profile}", "--dump-dom",
         path.as_uri() + fragment],
        capture_output=True, text=True, timeout=60, check=False)
    body = re.search(r"<body([^>]*)>", proc.stdout)
    assert body, proc.stderr[-2000:]
    attrs = dict(re.findall(r'([\w-]+)="([^"]*)"', body.group(1)))
    return attrs, [ln for ln in proc.stderr.splitlines() if ":CONSOLE" in ln]


@pytest.mark.slow
def test_chromium_renders_the_math_and_the_filter_works_without_errors(page, tmp_path):
    if shutil.which("chromium") is None and not Path("/usr/bin/chromium").exists():
        pytest.skip("chromium is not installed")
    good = tmp_path / "report.html"
    good.write_text(page, encoding="utf-8")
    attrs, console = _chromium(good, tmp_path / "profile", "#selftest")
    assert console == []  # no JS error, no CSP violation, nothing logged
    assert attrs.get("data-script") == "ran" and "data-js-errors" not in attrs
    assert attrs.get("data-selftest") == "ok"
    counts = dict(kv.split(":") for kv in attrs["data-selftest-counts"].split(","))
    assert all(int(counts[k]) > 0 for k in ("PROVED", "REFUTED", "INCONCLUSIVE", "GIVEN"))
    frac, line = float(attrs["data-math-frac-height"]), float(attrs["data-text-line-height"])
    assert frac > 1.5 * line > 0  # a laid-out fraction is two rows tall; unrendered, one
    # the same check fails when the browser refuses the script (a wrong hash in the CSP)
    broken = tmp_path / "broken.html"
    broken.write_text(page.replace("<script>", "<script>/**/", 1), encoding="utf-8")
    attrs, console = _chromium(broken, tmp_path / "profile2", "#selftest")
    assert "data-script" not in attrs and any("Content Security Policy" in c for c in console)
