"""Papers as data: the spec file format (TOML) and its expression language, read without evaluating text."""

from .expr import ExprError, parse_expr, parse_number
from .loader import Spec, SpecError, load_spec, loads_spec

__all__ = ["ExprError", "Spec", "SpecError", "load_spec", "loads_spec", "parse_expr",
           "parse_number"]
