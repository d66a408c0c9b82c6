"""The package's layers: no module imports from a layer above its own, and no import cycle.

From the bottom: the registry and the scenario (data), the model (the plant on SimPy), the analysis
(figures from tables), the results folder, the experiments (replications, searches), the reports, and
the command line with the public API. Every ``import`` and ``from ... import`` in the source counts,
inside functions too (a lazy import still ties the layers); the components' parts are found through
``sim.registry`` by name, which is what lets each layer reach only its own part.
"""

from __future__ import annotations

import ast
from pathlib import Path

SIM = Path(__file__).resolve().parents[2] / "sim"

LAYERS = [
    ("sim.version", "sim.registry", "sim.scenario"),
    ("sim.model",),
    ("sim.analysis",),
    ("sim.results",),
    ("sim.experiment",),
    ("sim.report",),
    ("sim.cli", "sim.__main__", "sim"),
]
"""Lowest first; a module belongs to the first layer with a prefix of its name (``sim`` itself: the API)."""


def layer_of(module: str) -> int:
    for rank, prefixes in enumerate(LAYERS):
        if any(module == p or module.startswith(p + ".") for p in prefixes if p != "sim") or module == "sim" and \
                "sim" in prefixes:
            return rank
    raise AssertionError(f"module {module} belongs to no layer: add it to LAYERS")


def modules() -> dict[str, Path]:
    out = {}
    for path in SIM.rglob("*.py"):
        parts = list(path.relative_to(SIM.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        out[".".join(parts)] = path
    return out


def imports(module: str, path: Path, known: dict[str, Path]) -> set[str]:
    """The sim modules ``module`` imports: ``from package import name`` counts the submodule ``name`` when it is
    one, else the package; imports for type checkers only (``if TYPE_CHECKING:``) do not count."""
    package = module if path.name == "__init__.py" else module.rsplit(".", 1)[0]
    found = set()
    for node in _runtime_nodes(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            names = [f"{target}.{alias.name}" if f"{target}.{alias.name}" in known else target
                     for alias in node.names]
        else:
            continue
        found.update(name for name in names if name in known)
    found.discard(module)
    return found


def _runtime_nodes(tree: ast.AST):
    """Every node of the tree but those under ``if TYPE_CHECKING:``."""
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, ast.If) and isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING":
            for other in node.orelse:
                yield other
                yield from _runtime_nodes(other)
            continue
        yield node
        yield from _runtime_nodes(node)


def graph() -> dict[str, set[str]]:
    known = modules()
    return {module: imports(module, path, known) for module, path in known.items()}


def test_no_module_imports_from_a_higher_layer():
    wrong = [f"{module} ({layer_of(module)}) imports {target} ({layer_of(target)})"
             for module, targets in graph().items() for target in sorted(targets)
             if layer_of(target) > layer_of(module)]
    assert not wrong, "imports from a higher layer:\n" + "\n".join(wrong)


def test_no_import_cycle():
    edges = graph()
    state: dict[str, int] = {}
    cycles = []

    def visit(module: str, trail: list[str]) -> None:
        state[module] = 1
        for target in sorted(edges[module]):
            if state.get(target) == 1:
                cycles.append(" -> ".join(trail[trail.index(target):] + [target]))
            elif target not in state:
                visit(target, trail + [target])
        state[module] = 2

    for module in sorted(edges):
        if module not in state:
            visit(module, [module])
    # a package's __init__ importing its own submodules is no cycle of layers: only cycles through other modules
    real = [c for c in cycles if not _package_and_member(c)]
    assert not real, "import cycles:\n" + "\n".join(real)


def _package_and_member(cycle: str) -> bool:
    """A cycle of a package and modules inside it only through their shared package (``from . import x``)."""
    members = cycle.split(" -> ")
    return len(set(members)) == 2 and any(a.startswith(b + ".") or b.startswith(a + ".")
                                          for a in members for b in members)


def test_the_layers_cover_every_module():
    for module in modules():
        layer_of(module)
