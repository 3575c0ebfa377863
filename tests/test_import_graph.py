"""The house's floors go one way: no package of `directory/` imports a package that imports it
back (directly or round a circle), the rules layer stands on models alone, and the scrapers
import nothing of the app. Read from the source with `ast`, so a new upward import fails here
before it tangles the house."""
from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

from tests.conftest import REPO

APP = REPO / "directory"
# What the domain rules may read: the models and the database handle, the app's clock and each
# other, and the scrapers' pure helpers (channel keys, mailbox names).
RULES_MAY_IMPORT = {"directory.models", "directory.extensions", "directory.clock", "directory.rules"}


def _module(path: Path) -> list[str]:
    parts = list(path.relative_to(REPO).with_suffix("").parts)
    return parts[:-1] if parts[-1] == "__init__" else parts


def _imports(path: Path) -> set[str]:
    """Absolute names of everything `path` imports (relative imports resolved)."""
    module = _module(path)
    package = module if path.name == "__init__.py" else module[:-1]
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = package[:len(package) - node.level + 1] if node.level else []
            name = ".".join(base + ([node.module] if node.module else []))
            names.add(name)
            names.update(f"{name}.{alias.name}" for alias in node.names)
    return names


def _unit(name: str) -> str | None:
    """The package (or top-level module) of `directory` a dotted name belongs to."""
    parts = name.split(".")
    if parts[0] != "directory" or len(parts) < 2:
        return None
    candidate = APP / parts[1]
    if candidate.is_dir() or candidate.with_suffix(".py").is_file():
        return f"directory.{parts[1]}"
    return None


def package_graph() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = defaultdict(set)
    for path in APP.rglob("*.py"):
        source = _unit(".".join(_module(path)))
        if source is None:
            continue
        for name in _imports(path):
            target = _unit(name)
            if target and target != source:
                graph[source].add(target)
    return graph


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One circle of imports, as the packages round it, or None."""
    state: dict[str, str] = {}
    trail: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = "open"
        trail.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == "open":
                return trail[trail.index(nxt):] + [nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        state[node] = "done"
        trail.pop()
        return None

    for node in sorted(graph):
        if node not in state and (found := visit(node)):
            return found
    return None


def test_no_package_of_the_app_imports_round_a_circle():
    circle = _cycle(package_graph())
    assert circle is None, "packages import each other round a circle: " + " -> ".join(circle)


def test_the_cycle_finder_sees_a_circle():
    """The check above can fail: a made-up graph with a circle is reported."""
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b"}, "b": {"c"}}) is None


def test_the_rules_stand_on_the_models_alone():
    upward = sorted(target for target in package_graph()["directory.rules"] if target not in RULES_MAY_IMPORT)
    assert upward == [], f"directory/rules imports from above it: {upward}"


def test_the_scrapers_import_nothing_of_the_app():
    offenders = sorted(str(path.relative_to(REPO)) for path in (REPO / "scrapers").rglob("*.py")
                       if any(name.split(".")[0] == "directory" for name in _imports(path)))
    assert offenders == []
