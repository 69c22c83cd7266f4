"""How the code is laid out, read statically (ast, no imports):

- no import cycle between project modules, counting imports inside functions;
- no module over 400 lines outside migrations and tests;
- `Artifact.objects` only inside the artifacts app (everyone else reads
  through `artifacts.selectors`);
- API views leave engine errors and rejections to the one exception handler.

An import `from a.b import c` is an edge to `a.b.c` when that is a module,
else to `a.b`: the package `a` that Python also initialises on the way is not
counted (a package's `__init__` importing its own modules is no cycle).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SKIPPED_DIRECTORIES = {".venv", ".venv-checkov", "node_modules", "data", "staticfiles"}
MAX_MODULE_LINES = 400


def _python_files() -> Iterator[Path]:
    for path in sorted(ROOT.rglob("*.py")):
        parts = path.relative_to(ROOT).parts
        if SKIPPED_DIRECTORIES.intersection(parts) or "migrations" in parts:
            continue
        yield path


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


@cache
def _modules() -> dict[str, Path]:
    return {_module_name(path): path for path in _python_files()}


@cache
def _tree(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def _absolute(module: str, node: ast.ImportFrom, path: Path) -> str:
    if not node.level:
        return node.module or ""
    package = module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]
    base = package[: len(package) - node.level + 1]
    return ".".join([*base, node.module] if node.module else base)


def _imports(module: str, path: Path) -> set[str]:
    """The project modules `module` imports, anywhere in it (functions included)."""
    known = _modules()
    found: set[str] = set()
    for node in ast.walk(_tree(path)):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            source = _absolute(module, node, path)
            for alias in node.names:
                submodule = f"{source}.{alias.name}"
                found.add(submodule if submodule in known else source)
    return {name for name in found if name in known and name != module}


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    lowest: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = lowest[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in graph[node]:
            if target not in index:
                visit(target)
                lowest[node] = min(lowest[node], lowest[target])
            elif target in on_stack:
                lowest[node] = min(lowest[node], index[target])
        if lowest[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                components.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return components


def test_no_import_cycle_between_project_modules() -> None:
    graph = {module: _imports(module, path) for module, path in _modules().items()}

    assert _cycles(graph) == []


def test_the_cycle_finder_finds_a_cycle_through_a_function_level_import(tmp_path: Path) -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}

    assert _cycles(graph) == [["a", "b", "c"]]
    source = "def late():\n    from verifier.engine.service import verify_label\n"
    escalation = _modules()["verifier.engine.escalation"]
    _tree.cache_clear()
    try:
        fake = tmp_path / "escalation.py"
        fake.write_text(escalation.read_text() + "\n\n" + source)
        assert "verifier.engine.service" in _imports("verifier.engine.escalation", fake)
    finally:
        _tree.cache_clear()


def test_no_module_over_400_lines_outside_migrations_and_tests() -> None:
    long = {
        str(path.relative_to(ROOT)): lines
        for path in _python_files()
        if path.relative_to(ROOT).parts[0] != "tests"
        and (lines := len(path.read_text(encoding="utf-8").splitlines())) > MAX_MODULE_LINES
    }

    assert long == {}


def _uses_artifact_manager(path: Path) -> bool:
    return any(
        isinstance(node, ast.Attribute)
        and node.attr == "objects"
        and isinstance(node.value, ast.Name)
        and node.value.id == "Artifact"
        for node in ast.walk(_tree(path))
    )


def test_artifact_rows_are_queried_only_inside_the_artifacts_app() -> None:
    """Tests and benches seed rows directly; application code asks the selectors."""
    outside = [
        str(path.relative_to(ROOT))
        for path in _python_files()
        if path.relative_to(ROOT).parts[0] not in ("artifacts", "tests", "bench")
        and _uses_artifact_manager(path)
    ]

    assert outside == []


def _caught_names(path: Path) -> set[str]:
    caught: set[str] = set()
    for node in ast.walk(_tree(path)):
        if isinstance(node, ast.ExceptHandler) and node.type is not None:
            types = node.type.elts if isinstance(node.type, ast.Tuple) else [node.type]
            caught.update(item.id for item in types if isinstance(item, ast.Name))
    return caught


def test_api_views_leave_engine_errors_and_rejections_to_the_exception_handler() -> None:
    """ttbsite.errors.api_exception_handler answers them, in one place."""
    views = [*sorted((ROOT / "verifier" / "api").glob("*.py")), ROOT / "artifacts" / "apis.py"]
    converting = {
        str(path.relative_to(ROOT)): sorted(caught)
        for path in views
        if (caught := _caught_names(path) & {"EngineError", "Rejected"})
    }

    assert converting == {}
