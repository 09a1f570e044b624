"""The architecture as rules that fail when broken: layering, no import cycles, short functions."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent
PACKAGES = {"symbolic": "bebcheck.symbolic", "proofs": "bebcheck.proofs",
            "checks": "bebcheck.checks", "bebcheck_pkg": "bebcheck"}


def _modules() -> dict[str, Path]:
    out = {}
    for folder, dotted in PACKAGES.items():
        for path in sorted((ROOT / folder).rglob("*.py")):
            rel = path.relative_to(ROOT / folder).with_suffix("")
            parts = [p for p in rel.parts if p != "__init__"]
            out[".".join([dotted, *parts])] = path
    return out


MODULES = _modules()


def _imports(name: str, path: Path) -> set[str]:
    """The bebcheck modules ``name`` imports (relative imports resolved)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                up = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(up + ([base] if base else []))
            found.add(base)
            found |= {f"{base}.{a.name}" for a in node.names}
    return {m for m in found if m in MODULES}


GRAPH = {name: _imports(name, path) for name, path in MODULES.items()}


def _layer_violations(source: str, allowed: tuple[str, ...]) -> list[str]:
    return [f"{m} imports {i}" for m, deps in GRAPH.items() if m.startswith(source)
            for i in deps if not i.startswith(allowed)]


def test_the_import_graph_sees_absolute_relative_and_lazy_imports():
    assert "bebcheck.symbolic.obligation" in GRAPH["bebcheck.symbolic.step"]  # relative
    assert "bebcheck.checks.engines.result" in GRAPH["bebcheck.checks.audit.decide"]  # absolute
    assert "bebcheck.proofs" in GRAPH["bebcheck.checks.cli.audit"]  # inside a function


def test_a_planted_layering_violation_is_found():
    GRAPH["bebcheck.checks.audit.decide"].add("bebcheck.proofs.beb_v1.results")
    try:
        assert _layer_violations("bebcheck.checks.audit", ("bebcheck.symbolic",
                                                          "bebcheck.checks")) == [
            "bebcheck.checks.audit.decide imports bebcheck.proofs.beb_v1.results"]
    finally:
        GRAPH["bebcheck.checks.audit.decide"].discard("bebcheck.proofs.beb_v1.results")


def test_symbolic_imports_nothing_else_of_ours():
    assert _layer_violations("bebcheck.symbolic", ("bebcheck.symbolic",)) == []


def test_proofs_import_only_symbolic():
    assert _layer_violations("bebcheck.proofs", ("bebcheck.proofs", "bebcheck.symbolic")) == []


@pytest.mark.parametrize("core", ["bebcheck.checks.engines", "bebcheck.checks.audit"])
def test_the_engines_and_the_audit_know_no_paper(core):
    allowed = ("bebcheck.symbolic", "bebcheck.checks.engines", "bebcheck.checks.audit")
    assert _layer_violations(core, allowed) == []


def test_the_engines_do_not_know_the_audit():
    allowed = ("bebcheck.symbolic", "bebcheck.checks.engines")
    assert _layer_violations("bebcheck.checks.engines", allowed) == []


def _cycles() -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    out: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in GRAPH[v]:
            if w == v or w.startswith(v + "."):  # a package re-exporting its own modules
                continue
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    for v in GRAPH:
        if v not in index:
            visit(v)
    return out


def test_no_import_cycles():
    assert _cycles() == []


def test_a_planted_cycle_is_found():
    GRAPH["bebcheck.symbolic.errors"].add("bebcheck.symbolic.params")
    try:
        assert any("bebcheck.symbolic.errors" in c for c in _cycles())
    finally:
        GRAPH["bebcheck.symbolic.errors"].discard("bebcheck.symbolic.params")


def _long_functions(limit: int) -> list[str]:
    out = []
    for name, path in MODULES.items():
        if not name.startswith("bebcheck.checks"):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                n = node.end_lineno - node.lineno + 1
                if n > limit:
                    out.append(f"{path.relative_to(ROOT)}:{node.lineno} {node.name} ({n} lines)")
    return out


def test_no_function_in_checks_is_longer_than_60_lines():
    assert _long_functions(60) == []
    assert len(_long_functions(30)) > 5  # the count sees functions (it is not vacuous)


def test_every_module_opens_with_a_docstring_and_lists_its_public_names():
    missing = []
    for name, path in MODULES.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        if ast.get_docstring(tree) is None:
            missing.append(f"{name}: no docstring")
        if path.name.startswith("_") and path.name != "__init__.py":
            continue
        if path.name == "__main__.py":
            continue
        names = {t.id for n in tree.body if isinstance(n, ast.Assign) for t in n.targets
                 if isinstance(t, ast.Name)}
        names |= {n.target.id for n in tree.body
                  if isinstance(n, ast.AnnAssign) and isinstance(n.target, ast.Name)}
        if "__all__" not in names:
            missing.append(f"{name}: no __all__")
    assert missing == []


def test_checks_know_no_spec_file_of_any_paper():
    """Papers given as spec files (proofs/specs/) reach the engines and the audit only as
    data through `bebcheck check FILE`: no module of checks/ names one or imports the specs."""
    for path in sorted((ROOT / "checks").rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        assert "proofs/specs" not in text and "beb-later" not in text, path
    assert not [m for m, deps in GRAPH.items() if m.startswith("bebcheck.checks")
                for d in deps if d.startswith("bebcheck.proofs.specs")]
