"""The kit's layout keeps its shape: ruff is clean, layers run one way with no import cycle, each
package's `__all__` lists exactly its public names, doctests pass and the version is written once."""
import ast
import doctest
import importlib
import pkgutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

import kit

ROOT = Path(__file__).resolve().parent.parent
KIT = ROOT / "kit"

# Layers, lowest first: a module may import its own layer and the layers below, never one above.
# datasets → data → model / organization → words → charts → widgets → display → notebooks; file readers
# and exports sit beside charts; the self-check engine (kit.checks) imports nothing above data and model;
# the question bank and the facilitator's tools sit on top. A module's layer is that of its longest
# prefix below, so every module of kit.charts is on the charts layer.
LAYERS = {
    "kit._version": 0, "kit.errors": 0, "kit.fonts": 0, "kit._files": 0, "kit._tableschema": 0,
    "kit.data": 1,
    "kit.model": 2, "kit.adoption": 2, "kit.review": 2, "kit.baseline": 2, "kit.organization": 2, "kit.premium": 2,
    "kit.sensitivity": 2, "kit.checks": 2,
    "kit.words": 3,
    "kit.charts": 4, "kit.premium_charts": 4, "kit.baseline_charts": 4, "kit.render": 4, "kit.exports": 4,
    "kit.scenarios": 4, "kit.organization_file": 4, "kit.scenario_file": 4,
    "kit.widgets": 5,
    "kit.display": 6,
    "kit.lessons": 7, "kit.questions": 7, "kit.premium_checks": 7, "kit.baseline_checks": 7, "kit.facilitator": 7,
    "kit": 7,
    # the course loop (issue 16): codes and the progress file beside the file readers, the rest on top
    "kit.scenario_codes": 4, "kit.progress": 4, "kit.code_box": 5, "kit.predictions": 7, "kit.prediction_card": 7,
    "kit.quizzes": 7, "kit.quiz_form": 7, "kit.worksheets": 7, "kit.classroom": 7,
}
LAYER_NAMES = ["base", "data", "model", "words", "charts, files and exports", "widgets", "display",
               "lessons, question bank and facilitator tools"]

# Imports that break the rule today and are being moved (issue 9): each pair must still exist, so
# that the list shrinks as the moves land and never hides a new violation.
KNOWN_UPWARD: set[tuple[str, str]] = set()


def kit_modules():
    """Every module of the kit as (dotted name, path), packages by their __init__.py."""
    for path in sorted(KIT.rglob("*.py")):
        parts = path.relative_to(ROOT).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        yield ".".join(parts), path


def is_package(name):
    return (ROOT / Path(*name.split(".")) / "__init__.py").exists()


def resolve(name, node):
    """The kit modules an import statement in module `name` refers to (function-level imports too)."""
    known = {n for n, _ in kit_modules()}
    if isinstance(node, ast.Import):
        targets = [a.name for a in node.names]
    else:
        package = name if is_package(name) else name.rpartition(".")[0]
        if node.level:
            base = package.split(".")
            base = base[: len(base) - (node.level - 1)]
            stem = ".".join(base + ([node.module] if node.module else []))
        else:
            stem = node.module
        # `from . import charts` names a module; `from .charts import table` names something in one
        targets = [f"{stem}.{a.name}" if f"{stem}.{a.name}" in known else stem for a in node.names]
    found = set()
    for target in targets:
        while target and target not in known:  # `import kit.charts.style` -> the module itself
            target = target.rpartition(".")[0]
        if target.startswith("kit") and target != name:
            found.add(target)
    return found


def import_graph():
    graph = {}
    for name, path in kit_modules():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        graph[name] = set()
        for node in runtime_nodes(tree):
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                graph[name] |= resolve(name, node)
    return graph


def runtime_nodes(tree):
    """Every node of a module except those under `if TYPE_CHECKING:` (imports for type hints only)."""
    stack = [tree]
    while stack:
        node = stack.pop()
        yield node
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and isinstance(child.test, ast.Name) and child.test.id == "TYPE_CHECKING":
                stack.extend(child.orelse)
                continue
            stack.append(child)


def layer(name):
    """A module's layer: its own entry in LAYERS, else its package's (never the top package's)."""
    while name not in LAYERS:
        name = name.rpartition(".")[0]
        assert name != "kit", "a module has no layer: add it to LAYERS in tests/test_layout.py"
    return LAYERS[name]


def test_every_module_has_a_layer():
    for name, _ in kit_modules():
        layer(name)


def test_no_module_imports_a_higher_layer():
    upward = set()
    for name, imports in import_graph().items():
        for target in imports:
            # a package may import its own modules (kit.charts imports kit.charts.style)
            if layer(target) > layer(name) and not target.startswith(name + "."):
                upward.add((name, target))
    new = upward - KNOWN_UPWARD
    assert not new, "\n".join(f"{a} ({LAYER_NAMES[layer(a)]}) imports {b} ({LAYER_NAMES[layer(b)]}), a higher layer"
                              for a, b in sorted(new))
    assert KNOWN_UPWARD <= upward, f"fixed, remove from KNOWN_UPWARD: {sorted(KNOWN_UPWARD - upward)}"


def cycles(graph):
    """Each import cycle once, as a list of module names (depth-first search)."""
    found, state = [], {}

    def visit(node, stack):
        state[node] = "open"
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == "open":
                found.append(stack[stack.index(nxt):] + [nxt])
            elif nxt not in state:
                visit(nxt, stack)
        stack.pop()
        state[node] = "done"

    for node in sorted(graph):
        if node not in state:
            visit(node, [])
    return found


KNOWN_CYCLES = [
    ["kit.model", "kit.adoption", "kit.model"],  # adoption reads model.structure() inside a function
]


def test_no_import_cycle():
    # a package importing its own modules, which import their siblings, is not a cycle
    graph = {name: {t for t in imports if not name.startswith(t + ".")} for name, imports in import_graph().items()}
    assert sorted(cycles(graph)) == sorted(KNOWN_CYCLES)


def test_the_cycle_finder_finds_a_cycle():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == [["a", "b", "c", "a"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


# Modules kept so that old import paths work: their public names are what they re-export.
SHIMS = {"kit.scenarios"}


def public_names(module):
    """The names a module defines at top level (or a package re-exports) that do not start with `_`."""
    reexports = hasattr(module, "__path__") or module.__name__ in SHIMS
    tree = ast.parse(Path(module.__file__).read_text(encoding="utf-8"))
    names = set()
    if reexports:  # the kit's modules and the names it imports from them
        names |= {n for n in vars(module) if type(getattr(module, n)).__name__ == "module"
                  and getattr(module, n).__name__.startswith(module.__name__ + ".")}
    for node in tree.body:
        if reexports and isinstance(node, ast.ImportFrom) and node.level:
            names |= {a.asname or a.name for a in node.names}
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, ast.Assign):
            names |= {t.id for t in node.targets if isinstance(t, ast.Name)}
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names.add(node.target.id)
    return {n for n in names if not n.startswith("_")}


def modules_with_all():
    for name, _ in kit_modules():
        module = importlib.import_module(name)
        if hasattr(module, "__path__") or hasattr(module, "__all__"):
            yield name


@pytest.mark.parametrize("name", list(modules_with_all()))
def test_all_lists_exactly_the_public_names(name):
    module = importlib.import_module(name)
    assert hasattr(module, "__all__"), f"{name} is a package without __all__"
    assert len(module.__all__) == len(set(module.__all__)), f"{name}.__all__ lists a name twice"
    public = public_names(module)
    missing, extra = public - set(module.__all__), set(module.__all__) - public
    assert not missing and not extra, f"{name}.__all__: missing {sorted(missing)}, not public {sorted(extra)}"


def test_the_kit_namespace_holds_no_stray_modules():
    assert not hasattr(kit, "sys")
    stray = {n for n in vars(kit) if not n.startswith("_")
             and type(getattr(kit, n)).__name__ == "module" and not getattr(kit, n).__name__.startswith("kit")}
    assert not stray, f"the standard library or a dependency leaks into kit: {sorted(stray)}"


def test_version_is_written_once_and_matches_pyproject():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert kit.__version__ == project["version"]
    sources = [p for p in KIT.rglob("*.py") if "__version__ = " in p.read_text(encoding="utf-8")]
    assert sources == [KIT / "_version.py"]


@pytest.mark.parametrize("name", [n for n, _ in kit_modules()])
def test_doctests(name):
    module = importlib.import_module(name)
    finder = doctest.DocTestFinder(exclude_empty=True)
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    report = []
    for test in finder.find(module, name, globs={"kit": kit, **vars(module)}):
        runner.run(test, out=report.append)
    summary = runner.summarize(verbose=False)
    assert summary.failed == 0, f"{summary.failed} of {summary.attempted} doctests in {name} fail:\n" + "".join(report)


def test_every_function_that_turns_numbers_into_words_has_an_example():
    from kit import words
    functions = [f for n, f in vars(words).items() if callable(f) and not n.startswith("_")
                 and getattr(f, "__module__", None) == "kit.words"]
    assert len(functions) >= 12
    missing = [f.__name__ for f in functions if ">>>" not in (f.__doc__ or "")]
    assert not missing, f"kit.words functions without a doctest example: {missing}"


def test_ruff_finds_nothing():
    checked = ["kit", "tests", "tools", "benchmarks", "jupyter-config"]
    done = subprocess.run([sys.executable, "-m", "ruff", "check", *checked], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_readme_module_map_lists_every_module_in_its_layer():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## How the kit is built"):]
    for name, path in kit_modules():
        row = f"| {LAYER_NAMES[layer(name)]} | `{path.relative_to(ROOT)}` |"
        assert row in section, f"README's module map has no row {row} (layer and path)"


def test_modules_are_found():
    found = {n for n, _ in kit_modules()}
    assert {"kit", "kit.model", "kit.data", "kit.fonts"} <= found
    assert {m.name for m in pkgutil.iter_modules(kit.__path__)} <= {n.rpartition(".")[2] for n in found}
