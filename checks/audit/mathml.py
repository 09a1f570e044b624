"""MathML Core from sympy expressions: presentation markup without ``mfenced``, escaped, valid XML."""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from xml.dom.minidom import Element, Node

import sympy as sp
from sympy.printing.mathml import MathMLPresentationPrinter

__all__ = [
    "MathMLCorePrinter",
    "implication",
    "math_element",
    "notation",
    "symbol_markup",
    "to_mathml",
]

# A small LaTeX subset for the parameters' notation: letters, digits, primes, ``_`` and ``^``
# groups, ``|`` and a few commands (Greek letters and accents).  Anything else (prose such as
# "log P−(s0)/P+(s0)") is not notation: the symbol is then printed by its name.
_LATEX = re.compile(r"(?:[^\W_]|[\\'_^{}|+\-])+\Z")
_TOKEN = re.compile(r"\\[A-Za-z]+|[^\W\d_]+|[0-9]+|[{}_^'|+\-]")
_SPECIAL = {"epsilon": "\u03f5", "varepsilon": "\u03b5", "phi": "\u03c6", "varphi": "\u03c6",
            "vartheta": "\u03d1", "ell": "\u2113"}
_ACCENTS = {"tilde": "\u02dc", "hat": "^", "bar": "\u00af"}

Builder = Callable[[MathMLPresentationPrinter], Node]


def _greek(name: str) -> str | None:
    if name in _SPECIAL:
        return _SPECIAL[name]
    case = "CAPITAL" if name[:1].isupper() else "SMALL"
    try:
        return unicodedata.lookup(f"GREEK {case} LETTER {name.upper()}")
    except KeyError:
        return None


def _leaf(tag: str, text: str) -> Builder:
    def build(p: MathMLPresentationPrinter) -> Element:
        el = p.dom.createElement(tag)
        el.appendChild(p.dom.createTextNode(text))
        return el
    return build


def _text(text: str) -> Builder:
    def build(p: MathMLPresentationPrinter) -> Element:
        return p.dom.createTextNode(text)
    return build


def _node(tag: str, children: list[Builder], **attrs: str) -> Builder:
    def build(p: MathMLPresentationPrinter) -> Element:
        el = p.dom.createElement(tag)
        for k, v in attrs.items():
            el.setAttribute(k, v)
        for c in children:
            el.appendChild(c(p))
        return el
    return build


class _Parser:
    """Recursive descent over the LaTeX subset; ``None`` from :meth:`parse` when it is not one."""

    def __init__(self, text: str) -> None:
        self.toks = _TOKEN.findall(text)
        self.i = 0

    def parse(self) -> Builder | None:
        try:
            out = self._seq(top=True)
        except ValueError:
            return None
        return out if self.i == len(self.toks) else None

    def _peek(self) -> str:
        return self.toks[self.i] if self.i < len(self.toks) else ""

    def _take(self) -> str:
        if self.i >= len(self.toks):
            raise ValueError("end of notation")
        self.i += 1
        return self.toks[self.i - 1]

    def _seq(self, top: bool = False) -> Builder:
        items: list[Builder] = []
        while self._peek() and self._peek() != "}":
            items.append(self._script())
        if not top:
            return items[0] if len(items) == 1 else _node("mrow", items)
        if not items:
            raise ValueError("empty notation")
        return items[0] if len(items) == 1 else _node("mrow", items)

    def _group(self) -> Builder:
        if self._peek() == "{":
            self._take()
            inner = self._seq()
            if self._take() != "}":
                raise ValueError("unbalanced group")
            return inner
        return self._base()

    def _script(self) -> Builder:
        base = self._base()
        primes = 0
        sub: Builder | None = None
        sup: Builder | None = None
        while self._peek() in ("'", "_", "^"):
            t = self._take()
            if t == "'":
                primes += 1
            elif t == "_":
                sub = self._group()
            else:
                sup = self._group()
        if primes:  # a prime at full size beside its base (a superscript prime is a dot)
            mark = _node("mo", [_text("\u2032" * primes)], lspace="0", rspace="0")
            base = _node("mrow", [base, mark])
        if sub is not None and sup is not None:
            return _node("msubsup", [base, sub, sup])
        if sub is not None:
            return _node("msub", [base, sub])
        return _node("msup", [base, sup]) if sup is not None else base

    def _base(self) -> Builder:
        t = self._take()
        if t == "{":
            self.i -= 1
            return self._group()
        if t.startswith("\\"):
            name = t[1:]
            if name in _ACCENTS:
                return _node("mover", [self._group(), _leaf("mo", _ACCENTS[name])],
                             accent="true")
            letter = _greek(name)
            if letter is None:
                raise ValueError(f"unknown command {t}")
            return _leaf("mi", letter)
        if t[0].isalpha():
            return _leaf("mi", t)
        if t[0].isdigit():
            return _leaf("mn", t)
        if t in ("|", "+", "-"):
            return _leaf("mo", "\u2212" if t == "-" else t)
        raise ValueError(f"unexpected {t!r}")


def symbol_markup(latex: str) -> Builder | None:
    """How a parameter's ``latex`` notation prints, or ``None`` when it is prose, not notation."""
    text = latex.strip()
    if not text or not _LATEX.match(text) or text.count("{") != text.count("}"):
        return None
    return _Parser(text).parse()


def notation(params: Iterable[tuple[str, str]], others: Iterable[str] = ()) -> dict[str, Builder]:
    """Symbol name → its printed notation, for ``(name, latex)`` pairs.  A name whose notation
    is prose, or would print like another symbol (``others`` too) prints by its name: no two
    symbols of a formula look alike."""
    printer = MathMLCorePrinter()
    chosen = {n: b for n, lat in params if (b := symbol_markup(lat)) is not None}
    names = sorted({n for n, _ in params} | set(others) | set(chosen))
    while True:
        shown: dict[str, list[str]] = {}
        for n in names:
            text = _text_of(chosen[n](printer)) if n in chosen else printer.core(sp.Symbol(n))
            shown.setdefault(text, []).append(n)
        clash = {n for same in shown.values() if len(same) > 1 for n in same if n in chosen}
        if not clash:
            return chosen
        for n in clash:
            del chosen[n]


def _text_of(el: Node) -> str:
    out: list[str] = []
    _serialise(el, out)
    return "".join(out)


class MathMLCorePrinter(MathMLPresentationPrinter):
    """sympy's presentation printer with the parameters' own notation for their symbols, an
    upright ``e`` for Euler's number, and :meth:`core` to serialise the result as MathML Core."""

    def __init__(self, names: Mapping[str, Builder] | None = None) -> None:
        super().__init__({"mul_symbol": None})
        self._names = dict(names or {})

    def _print_Symbol(self, sym: sp.Symbol, style: str = "plain") -> Node:
        build = self._names.get(sym.name)
        return build(self) if build is not None else super()._print_Symbol(sym, style)

    def _print_Exp1(self, e: object) -> Element:
        x = self.dom.createElement("mi")
        x.setAttribute("mathvariant", "normal")
        x.appendChild(self.dom.createTextNode("e"))
        return x

    def _print_Function(self, e: sp.Function) -> Element:
        """``log(x)`` with a thin space before the name (``a log(x)``, not ``alog(x)``) and an
        invisible function application after it."""
        row = super()._print_Function(e)
        name, args = row.firstChild, row.lastChild
        space = self.dom.createElement("mspace")
        space.setAttribute("width", "0.1667em")
        apply = self.dom.createElement("mo")
        apply.appendChild(self.dom.createTextNode("\u2061"))
        row.insertBefore(space, name)
        row.insertBefore(apply, args)
        return row

    def core(self, expr: sp.Basic) -> str:
        """``expr`` as MathML Core (no ``<math>`` wrapper)."""
        out: list[str] = []
        _serialise(self._print(expr), out)
        return "".join(out)


def _mo(text: str) -> str:
    return f"<mo>{html.escape(text, quote=False)}</mo>"


def _fenced(el: Element, out: list[str]) -> None:
    """``<mfenced open close separators>`` (MathML 3, not in Core) as ``<mrow><mo>(</mo>…``."""
    opening = el.getAttribute("open") if el.hasAttribute("open") else "("
    closing = el.getAttribute("close") if el.hasAttribute("close") else ")"
    seps = "".join((el.getAttribute("separators") if el.hasAttribute("separators")
                    else ",").split())
    kids = [c for c in el.childNodes if c.nodeType == Node.ELEMENT_NODE]
    out.append("<mrow>" + _mo(opening))
    for k, kid in enumerate(kids):
        if k and seps:
            out.append(_mo(seps[min(k - 1, len(seps) - 1)]))
        _serialise(kid, out)
    out.append(_mo(closing) + "</mrow>")


_FENCES = frozenset("()[]{}|\u230a\u230b\u2308\u2309")
_TALL = ("mfrac", "msup", "msubsup", "mover", "munder", "munderover", "msqrt", "mroot",
         "mtable")


def _is_fence(node: Element) -> bool:
    text = "".join(c.data for c in node.childNodes if c.nodeType == Node.TEXT_NODE)
    return html.unescape(text).strip() in _FENCES


def _tall(parent: Node | None) -> bool:
    """Whether a fence's row holds anything taller than a line of text."""
    if not isinstance(parent, Element):
        return False
    return any(parent.getElementsByTagName(t) for t in _TALL)


def _serialise(node: Node, out: list[str]) -> None:
    """Walk the printer's DOM: text unescaped once (the printer leaves entities such as
    ``&#x2265;`` and bare ``<`` in it), then escaped for HTML and XML alike."""
    if node.nodeType == Node.TEXT_NODE:
        text = html.unescape(node.data)
        if text == "-" and node.parentNode is not None and node.parentNode.nodeName == "mo":
            text = "\u2212"  # the minus sign, not the hyphen
        out.append(html.escape(text, quote=False))
        return
    if node.nodeType != Node.ELEMENT_NODE:
        return
    assert isinstance(node, Element)
    if node.tagName == "mfenced":
        _fenced(node, out)
        return
    items = dict(node.attributes.items())
    items.pop("bevelled", None)
    if node.tagName == "mo" and _is_fence(node) and not _tall(node.parentNode):
        items["stretchy"] = "false"  # (x), |x|: text size, as TeX would print them
    attrs = "".join(f' {k}="{html.escape(v)}"' for k, v in sorted(items.items()))
    out.append(f"<{node.tagName}{attrs}>")
    for child in node.childNodes:
        _serialise(child, out)
    out.append(f"</{node.tagName}>")


def math_element(body: str, display: str = "block", label: str = "") -> str:
    """``<math>`` around MathML Core ``body`` (``label``: its plain-text alternative)."""
    alt = f' alttext="{html.escape(label)}"' if label else ""
    return f'<math display="{display}"{alt}>{body}</math>'


def to_mathml(expr: sp.Basic, names: Mapping[str, Builder] | None = None,
              display: str = "block") -> str:
    """``expr`` as one ``<math>`` element in MathML Core; the atoms of a conjunction in
    canonical order (sympy's order of ``And`` arguments varies between processes)."""
    printer = MathMLCorePrinter(names)
    parts: Iterable[sp.Basic] = (sorted(expr.args, key=sp.default_sort_key)
                                 if isinstance(expr, sp.And) else (expr,))
    parts = list(parts)
    body = _mo("\u2227").join(printer.core(p) for p in parts)
    label = " \u2227 ".join(sp.sstr(p) for p in parts)
    return math_element(f"<mrow>{body}</mrow>", display, label)


def implication(hypotheses: Iterable[sp.Basic], claim: sp.Basic,
                names: Mapping[str, Builder] | None = None) -> str:
    """``h1 ∧ h2 ∧ … ⇒ claim`` as one ``<math>`` element (``claim`` alone without hypotheses)."""
    printer = MathMLCorePrinter(names)
    hyps = [printer.core(h) for h in hypotheses]
    lhs = _mo("\u2227").join(hyps)
    body = f"<mrow>{lhs}</mrow>{_mo(chr(0x21D2))}" if hyps else ""
    label = " & ".join(sp.sstr(h) for h in hypotheses)
    return math_element(f"<mrow>{body}{printer.core(claim)}</mrow>", "block",
                        f"{label} => {sp.sstr(claim)}" if label else sp.sstr(claim))
