"""No import cycle between the modules of app, devices and sync; the domain imports only the standard library
and biip (docs/architecture.md). The other rules are import-linter contracts in pyproject.toml.

grimp reads every import statement, those inside functions too, so a cycle hidden by a function-local import
is found as well. Imports under `if TYPE_CHECKING:` are left out: they never run, so they cannot make a
module wait for a half-initialised one.
"""

from __future__ import annotations

import sys
import textwrap
from pathlib import Path

import grimp
import pytest

PACKAGES = ("app", "devices", "sync")


def import_cycles(graph: grimp.ImportGraph) -> list[tuple[str, ...]]:
    """One shortest cycle per group of modules that import each other, each closed (first == last)."""
    modules = sorted(graph.modules)
    edges = {m: sorted(graph.find_modules_directly_imported_by(m) & set(modules)) for m in modules}
    cycles = []
    for group in _strongly_connected(modules, edges):
        if len(group) == 1 and group[0] not in edges[group[0]]:
            continue  # a module on its own, not importing itself
        start = group[0]
        chains = [graph.find_shortest_chain(n, start) for n in edges[start] if n in group]
        chain = min((c for c in chains if c), key=len)
        cycles.append((start, *chain))
    return cycles


def _strongly_connected(nodes: list[str], edges: dict[str, list[str]]) -> list[list[str]]:
    """Tarjan's strongly connected components, each sorted, in a stable order."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in edges[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                group.append(w)
                if w == v:
                    break
            groups.append(sorted(group))

    for node in nodes:
        if node not in index:
            visit(node)
    return groups


def outside_imports(graph: grimp.ImportGraph, package: str, allowed: set[str]) -> list[tuple[str, str]]:
    """(importer, imported) for every import from `package` of a module that is neither in it, in the standard
    library, nor in an `allowed` top-level package."""
    found = []
    for module in sorted(graph.find_descendants(package) | {package}):
        for imported in sorted(graph.find_modules_directly_imported_by(module)):
            top = imported.partition(".")[0]
            inside = imported == package or imported.startswith(f"{package}.")
            if not (inside or top in sys.stdlib_module_names or top in allowed):
                found.append((module, imported))
    return found


def describe(cycles: list[tuple[str, ...]]) -> str:
    return "import cycles:\n" + "\n".join("  " + " -> ".join(c) for c in cycles)


def test_no_module_of_app_devices_or_sync_is_part_of_an_import_cycle() -> None:
    graph = grimp.build_graph(*PACKAGES, exclude_type_checking_imports=True, cache_dir=None)
    cycles = import_cycles(graph)
    assert not cycles, describe(cycles)


def test_a_cycle_is_found_and_shown_on_a_synthetic_graph() -> None:
    graph = grimp.ImportGraph()
    for module in ("p", "p.a", "p.b", "p.c", "p.d"):
        graph.add_module(module)
    graph.add_import(importer="p.a", imported="p.b")
    graph.add_import(importer="p.b", imported="p.c")
    graph.add_import(importer="p.c", imported="p.a")
    graph.add_import(importer="p.d", imported="p.a")  # imports into the cycle, is not part of it
    cycles = import_cycles(graph)
    assert cycles == [("p.a", "p.b", "p.c", "p.a")]
    assert "p.a -> p.b -> p.c -> p.a" in describe(cycles)
    graph.remove_import(importer="p.c", imported="p.a")
    assert import_cycles(graph) == []


def test_a_cycle_hidden_by_an_import_inside_a_function_is_found(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    package = tmp_path / "cyclepkg"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "first.py").write_text("from cyclepkg import second\n")
    (package / "second.py").write_text(
        textwrap.dedent(
            """
            from typing import TYPE_CHECKING

            if TYPE_CHECKING:
                from cyclepkg import third  # type-only: no cycle

            def later():
                from cyclepkg import first  # hides the cycle at run time, not from the graph
                return first
            """
        )
    )
    (package / "third.py").write_text("from cyclepkg import second\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    graph = grimp.build_graph("cyclepkg", exclude_type_checking_imports=True, cache_dir=None)
    assert import_cycles(graph) == [("cyclepkg.first", "cyclepkg.second", "cyclepkg.first")]
    sys.modules.pop("cyclepkg", None)


def test_the_domain_imports_only_the_standard_library_and_biip() -> None:
    graph = grimp.build_graph(*PACKAGES, include_external_packages=True, cache_dir=None)
    found = outside_imports(graph, "app.domain", {"biip"})
    assert not found, "the domain imports " + ", ".join(f"{b} (in {a})" for a, b in found)


def test_an_import_from_outside_the_standard_library_and_biip_is_found() -> None:
    graph = grimp.ImportGraph()
    for module in ("p", "p.domain", "p.domain.rules", "p.station", "os", "biip", "yaml"):
        graph.add_module(module)
    for imported in ("os", "biip", "p.domain", "yaml", "p.station"):
        graph.add_import(importer="p.domain.rules", imported=imported)
    assert outside_imports(graph, "p.domain", {"biip"}) == [
        ("p.domain.rules", "p.station"),
        ("p.domain.rules", "yaml"),
    ]
