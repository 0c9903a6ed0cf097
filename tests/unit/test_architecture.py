"""The package's layering (DESIGN §8): folders by concern, each importing only the folders
below it, no module-level import cycles, no re-export facades and no module `__getattr__`.

Read from the code's own imports (the AST of every module, imports inside functions and
under TYPE_CHECKING included), so a new import that runs back up fails here."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2] / "src" / "govbot"
ROOT = SRC.parents[1]
# Lowest first: a folder may import only from the folders before it (and itself).
LAYERS = ["model", "rules", "vote", "record", "render", "publish", "git", "github", "cli"]


def modules() -> dict[str, Path]:
    """Dotted name → path of every module in the package."""
    out = {}
    for path in sorted(SRC.rglob("*.py")):
        parts = path.relative_to(SRC.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        out[name] = path
    return out


def imports(path: Path) -> list[tuple[str, bool]]:
    """(imported govbot module, at module level?) for each import in a file."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    top = {id(n) for n in tree.body}
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module.startswith("govbot"):
                base = node.module
                for alias in node.names:
                    candidate = f"{base}.{alias.name}"
                    found.append((candidate if candidate in MODULES else base,
                                  id(node) in top))
        elif isinstance(node, ast.Import):
            found += [(a.name, id(node) in top) for a in node.names
                      if a.name.startswith("govbot")]
        elif isinstance(node, ast.ImportFrom) and node.level:
            pytest.fail(f"{path}: relative import; use govbot.<folder>.<module>")
    return found


MODULES = modules()


def layer(name: str) -> int:
    parts = name.split(".")
    return LAYERS.index(parts[1]) if len(parts) > 2 and parts[1] in LAYERS else -1


def test_every_module_lives_in_a_layer_folder() -> None:
    """Apart from the package's own `__init__`/`__main__`, every module is in a folder of
    the layering, and every folder is a layer."""
    loose = [p.name for p in SRC.glob("*.py") if p.name not in ("__init__.py", "__main__.py")]
    assert loose == []
    folders = {p.name for p in SRC.iterdir() if p.is_dir() and (p / "__init__.py").exists()}
    assert folders <= set(LAYERS)


@pytest.mark.parametrize("name", sorted(n for n in MODULES if layer(n) >= 0))
def test_no_import_runs_back_up(name: str) -> None:
    """A module imports only from its own folder and the folders below it."""
    higher = [(dep, top) for dep, top in imports(MODULES[name]) if layer(dep) > layer(name)]
    assert higher == []


def test_no_import_cycle() -> None:
    """Module-level imports form no cycle (imports inside functions included too: a lazy
    import is still a dependency)."""
    graph = {n: {d for d, _ in imports(p) if d in MODULES and d != n}
             for n, p in MODULES.items()}
    seen: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> None:
        seen[node] = 1
        stack.append(node)
        for dep in sorted(graph[node]):
            if seen.get(dep) == 1:
                pytest.fail("import cycle: " + " -> ".join([*stack[stack.index(dep):], dep]))
            if dep not in seen:
                visit(dep)
        stack.pop()
        seen[node] = 2

    for node in sorted(graph):
        if node not in seen:
            visit(node)


@pytest.mark.parametrize("name", sorted(MODULES))
def test_no_facades(name: str) -> None:
    """No `import X as X` re-exports, no `__all__` lists of other modules' names, no
    module-level `__getattr__`."""
    text = MODULES[name].read_text(encoding="utf-8")
    tree = ast.parse(text)
    for node in tree.body:
        if isinstance(node, ast.FunctionDef):
            assert node.name != "__getattr__", f"{name}: module __getattr__"
        if isinstance(node, ast.ImportFrom | ast.Import):
            for alias in node.names:
                assert alias.asname != alias.name.rsplit(".", 1)[-1], (
                    f"{name}: re-export of {alias.name}")


@pytest.mark.parametrize("name", ["govbot.github.client", "govbot.github.payloads",
                                  "govbot.github.botstate"])
def test_the_adapter_moves_data_and_never_judges(name: str) -> None:
    """The GitHub adapter, its payload helpers and govbot's bot state import neither the
    vote (tally, ballots, judge) nor the renderer: they move data, the core judges it."""
    judged = [dep for dep, _ in imports(MODULES[name])
              if dep.startswith(("govbot.vote", "govbot.render", "govbot.rules"))]
    assert judged == []


def test_tests_import_names_from_their_owner() -> None:
    """Tests import names from the module that defines them, not through another module."""
    defined: dict[str, set[str]] = {}
    for name, path in MODULES.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        names = set()
        for node in tree.body:
            if isinstance(node, ast.FunctionDef | ast.ClassDef | ast.AsyncFunctionDef):
                names.add(node.name)
            elif isinstance(node, ast.Assign | ast.AnnAssign):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                names |= {t.id for t in targets if isinstance(t, ast.Name)}
        defined[name] = names
    wrong = []
    for path in sorted((ROOT / "tests").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module in defined:
                for alias in node.names:
                    if (alias.name not in defined[node.module]
                            and f"{node.module}.{alias.name}" not in MODULES):
                        wrong.append(f"{path.name}: {alias.name} from {node.module}")
    assert wrong == []


def test_the_architecture_page_lists_every_module() -> None:
    """docs/architecture.md names every module of the package."""
    page = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    missing = [n for n in MODULES if n.count(".") == 2
               and f"{n.split('.')[1]}/{n.split('.')[2]}.py" not in page
               and not n.endswith("__init__")]
    assert missing == []


def test_only_judge_decides_a_pull_request() -> None:
    """Outside vote/, nothing calls the tally directly: `govbot run`, `govbot tally` and both
    publish paths decide a pull request through `vote.judge.judge` (checks + tally), so two
    code paths can never judge the same PR differently."""
    callers = []
    for name, path in MODULES.items():
        if name.startswith("govbot.vote."):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module == "govbot.vote.tally":
                callers += [f"{name}: {a.name}" for a in node.names if a.name == "tally"]
    assert callers == []
