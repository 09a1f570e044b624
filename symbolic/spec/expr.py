"""The spec files' expression language: a whitelist over Python's ``ast`` that builds sympy directly.

Nothing in a formula is evaluated: the text is parsed (``ast.parse``, which runs no code), every
node is checked against a short list, and sympy objects are built from the nodes.  Allowed:

* numbers written in decimal (``3``, ``0.25``, ``1e-3``: exact rationals; at most
  ``MAX_DIGITS`` digits and exponents up to ``MAX_EXP10``);
* declared names only (the obligation's parameters, definitions and lemma witnesses);
* ``+ - * / **`` (a literal power at most ``MAX_POWER`` in size), unary ``-`` and ``+``;
* comparisons ``== != < <= > >=`` (chains as conjunctions), ``and``, ``or``, ``not``;
* the functions in ``FUNCTIONS`` (``log``, ``exp``, ``sqrt``, ``abs``, ``min``, ``max``, ``floor``,
  ``ceiling``, ``tanh``), called with positional arguments.

Anything else (attributes, subscripts, strings, keywords, lambdas, comprehensions, dunder names,
unknown functions) is an ``ExprError`` naming the column.  Bounds: ``MAX_LENGTH`` characters,
``MAX_DEPTH`` levels of nesting, ``MAX_NODES`` nodes.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable, Mapping
from fractions import Fraction

import sympy as sp

from bebcheck.symbolic.errors import InputError

__all__ = ["FUNCTIONS", "MAX_DEPTH", "MAX_DIGITS", "MAX_EXP10", "MAX_LENGTH", "MAX_NODES",
           "MAX_POWER", "ExprError", "parse_expr", "parse_number"]

MAX_LENGTH = 4000
MAX_DEPTH = 40
MAX_NODES = 2000
MAX_DIGITS = 60
MAX_EXP10 = 300
MAX_POWER = 1000

FUNCTIONS: dict[str, tuple[Callable[..., sp.Basic], int, int]] = {
    "log": (sp.log, 1, 1), "exp": (sp.exp, 1, 1), "sqrt": (sp.sqrt, 1, 1),
    "abs": (sp.Abs, 1, 1), "floor": (sp.floor, 1, 1), "ceiling": (sp.ceiling, 1, 1),
    "tanh": (sp.tanh, 1, 1), "min": (sp.Min, 2, 8), "max": (sp.Max, 2, 8),
}
"""Name → (sympy function, fewest arguments, most arguments)."""

_NUMBER = re.compile(r"[0-9]+(\.[0-9]*)?([eE][+-]?[0-9]+)?|\.[0-9]+([eE][+-]?[0-9]+)?")
_BINARY = {ast.Add: sp.Add, ast.Sub: lambda a, b: a - b, ast.Mult: sp.Mul,
           ast.Div: lambda a, b: a / b}
_COMPARE = {ast.Eq: sp.Eq, ast.NotEq: sp.Ne, ast.Lt: sp.StrictLessThan,
            ast.LtE: sp.LessThan, ast.Gt: sp.StrictGreaterThan, ast.GtE: sp.GreaterThan}


class ExprError(InputError):
    """A formula outside the language; ``column`` is 1-based within the formula's text."""

    def __init__(self, message: str, column: int = 1) -> None:
        super().__init__(message)
        self.column = column


def parse_number(text: str) -> Fraction:
    """A decimal number as an exact rational (``0.1`` is 1/10), within the bounds."""
    t = text.strip()
    sign = -1 if t.startswith("-") else 1
    body = t.lstrip("+-")
    if not _NUMBER.fullmatch(body):
        raise ExprError(f"not a decimal number: {text!r}")
    mantissa, _, exponent = body.lower().partition("e")
    if len(mantissa.replace(".", "").lstrip("0")) > MAX_DIGITS:
        raise ExprError(f"a number of more than {MAX_DIGITS} digits: {text[:20]}…")
    if exponent and abs(int(exponent)) > MAX_EXP10:
        raise ExprError(f"a number beyond 1e±{MAX_EXP10}: {text!r}")
    return sign * Fraction(body)


def parse_expr(text: str, names: Mapping[str, sp.Basic]) -> sp.Basic:
    """The sympy object a formula denotes, over the symbols in ``names``."""
    if not isinstance(text, str):
        raise ExprError(f"a formula must be a string, not {type(text).__name__}")
    if len(text) > MAX_LENGTH:
        raise ExprError(f"a formula of more than {MAX_LENGTH} characters")
    _check_nesting(text)
    try:
        tree = ast.parse(text.strip(), mode="eval")
    except SyntaxError as e:
        raise ExprError(f"not a formula: {e.msg}", e.offset or 1) from None
    except (ValueError, RecursionError, MemoryError):
        raise ExprError("not a formula") from None
    if sum(1 for _ in ast.walk(tree)) > MAX_NODES:
        raise ExprError(f"a formula of more than {MAX_NODES} parts")
    return _Builder(text.strip(), names).build(tree.body, 0)


def _check_nesting(text: str) -> None:
    """Reject deep nesting before Python's parser sees it (its limits are not ours)."""
    depth = 0
    for i, ch in enumerate(text):
        depth += ch == "("
        depth -= ch == ")"
        if depth > MAX_DEPTH:
            raise ExprError(f"brackets nested more than {MAX_DEPTH} deep", i + 1)


class _Builder:
    """Builds sympy from a checked ``ast``: one method per allowed node type."""

    def __init__(self, text: str, names: Mapping[str, sp.Basic]) -> None:
        self.text, self.names = text, names

    def build(self, node: ast.AST, depth: int) -> sp.Basic:
        if depth > MAX_DEPTH:
            raise ExprError(f"a formula nested more than {MAX_DEPTH} deep", _col(node))
        method = getattr(self, f"_{type(node).__name__}", None)
        if method is None:
            raise ExprError(f"{_what(node)} is not allowed in a formula", _col(node))
        return method(node, depth + 1)

    def _Constant(self, node: ast.Constant, depth: int) -> sp.Basic:
        if isinstance(node.value, bool) or not isinstance(node.value, int | float):
            raise ExprError(f"{_what(node)} is not allowed in a formula", _col(node))
        source = ast.get_source_segment(self.text, node) or ""
        value = parse_number(source)
        return sp.Rational(value.numerator, value.denominator)

    def _Name(self, node: ast.Name, depth: int) -> sp.Basic:
        if node.id.startswith("_"):
            raise ExprError(f"name {node.id!r}: names may not start with '_'", _col(node))
        if node.id not in self.names:
            hint = " (a function needs brackets)" if node.id in FUNCTIONS else ""
            raise ExprError(f"unknown name {node.id!r}{hint}", _col(node))
        return self.names[node.id]

    def _UnaryOp(self, node: ast.UnaryOp, depth: int) -> sp.Basic:
        arg = self.build(node.operand, depth)
        if isinstance(node.op, ast.USub):
            return -arg
        if isinstance(node.op, ast.UAdd):
            return arg
        if isinstance(node.op, ast.Not):
            return sp.Not(arg)
        raise ExprError("'~' is not allowed in a formula", _col(node))

    def _BinOp(self, node: ast.BinOp, depth: int) -> sp.Basic:
        left = self.build(node.left, depth)
        if isinstance(node.op, ast.Pow):
            right = self.build(node.right, depth)
            if right.is_number and abs(right) > MAX_POWER:
                raise ExprError(f"a power beyond {MAX_POWER}", _col(node.right))
            if left.is_Rational and right.is_Rational and _bits(left) * abs(right) > 4096:
                raise ExprError("a numeric power of more than 4096 bits", _col(node))
            return sp.Pow(left, right)
        op = _BINARY.get(type(node.op))
        if op is None:
            raise ExprError(f"operator {type(node.op).__name__} is not allowed", _col(node))
        return op(left, self.build(node.right, depth))

    def _Compare(self, node: ast.Compare, depth: int) -> sp.Basic:
        terms = [self.build(node.left, depth)]
        terms += [self.build(c, depth) for c in node.comparators]
        parts = []
        for op, a, b in zip(node.ops, terms, terms[1:], strict=False):
            make = _COMPARE.get(type(op))
            if make is None:
                raise ExprError(f"comparison {type(op).__name__} is not allowed", _col(node))
            parts.append(make(a, b, evaluate=False) if make in (sp.Eq, sp.Ne) else make(a, b))
        return sp.And(*parts) if len(parts) > 1 else parts[0]

    def _BoolOp(self, node: ast.BoolOp, depth: int) -> sp.Basic:
        args = [self.build(v, depth) for v in node.values]
        return sp.And(*args) if isinstance(node.op, ast.And) else sp.Or(*args)

    def _Call(self, node: ast.Call, depth: int) -> sp.Basic:
        if not isinstance(node.func, ast.Name) or node.func.id not in FUNCTIONS:
            name = node.func.id if isinstance(node.func, ast.Name) else _what(node.func)
            raise ExprError(f"unknown function {name!r}; known: {', '.join(FUNCTIONS)}",
                            _col(node))
        if node.keywords:
            raise ExprError("functions take positional arguments only", _col(node))
        fn, lo, hi = FUNCTIONS[node.func.id]
        if not lo <= len(node.args) <= hi:
            raise ExprError(f"{node.func.id} takes {lo}" + (f" to {hi}" if hi != lo else "")
                            + f" argument(s), not {len(node.args)}", _col(node))
        return fn(*(self.build(a, depth) for a in node.args))


def _bits(q: sp.Rational) -> int:
    return max(int(q.p).bit_length(), int(q.q).bit_length())


def _col(node: ast.AST) -> int:
    return getattr(node, "col_offset", 0) + 1


def _what(node: ast.AST) -> str:
    kinds = {ast.Attribute: "an attribute", ast.Subscript: "a subscript", ast.Lambda: "a lambda",
             ast.Starred: "unpacking", ast.IfExp: "a conditional", ast.NamedExpr: "':='"}
    for kind, word in kinds.items():
        if isinstance(node, kind):
            return word
    if isinstance(node, ast.Constant):
        return f"a {type(node.value).__name__} constant"
    return f"{type(node).__name__}"
