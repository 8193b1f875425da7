"""The house is one-way: `hiring` <- `rubrics` <- `interviews` <- the top floor, and no circles.

Read from the source with `ast`, so an import the wrong way fails here before it can lean the house:
every import (module level or inside a function), `importlib.import_module(...)` and
`import_string(...)` of a constant, and model lookups by label (`apps.get_model("app", "Model")`,
`apps.get_model("app.Model")` and "app.model" strings naming a model of another app).
"""

import ast
from collections import defaultdict
from pathlib import Path

from django.apps import apps

ROOT = Path(__file__).resolve().parent.parent

# The domain floors, lowest first. Every other project package is top floor.
FLOORS = {"hiring": 0, "rubrics": 1, "interviews": 2}
TOP = 3

# Top-floor modules that live inside a lower app today: presentation that reads every app below it
# and owns none of its rules. A path ending in "/" is a package (everything under it).
TOP_FLOOR_INSIDE_APPS = (
    "hiring/admin/",  # the admin of hiring (jobs, candidates, applications, setup, privacy pages)
    "hiring/admin_",  # hiring/admin_*.py: admin helpers (lists, pagination, scoping, search)
    "rubrics/admin.py",  # the rubric admin (releases a new version through interviews' service)
    "interviews/admin/",  # the admin of interviews (interviews, scorecards, decisions, outbox)
    "interviews/dashboard/",  # the dashboard reads every app
)

LOOKUPS = ("get_model", "model label")


def _project_packages() -> list[str]:
    return sorted(
        p.name for p in ROOT.iterdir() if (p / "__init__.py").exists() and p.name not in {"tests", ".venv"}
    )


def _module_files() -> dict[str, Path]:
    """Dotted module name -> file, for every project module outside tests and migrations."""
    modules = {}
    for package in _project_packages():
        for path in (ROOT / package).rglob("*.py"):
            rel = path.relative_to(ROOT)
            if "migrations" in rel.parts:
                continue
            parts = list(rel.with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            modules[".".join(parts)] = path
    return modules


MODULES = _module_files()


def _model_labels() -> dict[str, str]:
    """'app_label.modelname' -> app label, for every model of a project app."""
    packages = set(_project_packages())
    return {
        model._meta.label_lower: model._meta.app_label
        for model in apps.get_models(include_auto_created=True)
        if model._meta.app_config.name.split(".")[0] in packages
    }


def _resolve(name: str) -> str | None:
    """The project module an imported name lands in (a module, else its package), or None."""
    while name:
        if name in MODULES:
            return name
        name = name.rpartition(".")[0]
    return None


def _absolute(module: str, path: Path, node: ast.ImportFrom) -> str:
    if not node.level:
        return node.module or ""
    package = module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]
    base = package[: len(package) - (node.level - 1)]
    return ".".join([*base, *([node.module] if node.module else [])])


def _constant(node: ast.AST) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def _call_name(node: ast.Call) -> str:
    func = node.func
    if isinstance(func, ast.Attribute):
        return func.attr
    if isinstance(func, ast.Name):
        return func.id
    return ""


def references(module: str, path: Path, labels: dict[str, str]) -> list[tuple[int, str, str]]:
    """(line, what the source says, project module reached) for every reference to another module.

    What the source says starts with "import", "from", "import_module" or "import_string" for an
    import, with "get_model" or "model label" for a model looked up by label at run time."""
    found = []
    tree = ast.parse(path.read_text(), filename=str(path))
    for node in ast.walk(tree):
        targets: list[tuple[str, str]] = []
        if isinstance(node, ast.Import):
            targets = [(alias.name, f"import {alias.name}") for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = _absolute(module, path, node)
            for alias in node.names:
                full = f"{base}.{alias.name}" if base else alias.name
                targets.append((full if full in MODULES else base, f"from {base} import {alias.name}"))
        elif isinstance(node, ast.Call):
            name = _call_name(node)
            args = [_constant(a) for a in node.args]
            if name in {"import_module", "import_string"} and args and args[0]:
                targets = [(args[0], f"{name}({args[0]!r})")]
            elif name == "get_model" and args and args[0]:
                label = args[0] if "." in args[0] or len(args) < 2 else f"{args[0]}.{args[1]}"
                targets = [(f"{label.split('.')[0]}.models", f"get_model({label!r})")]
        elif (text := _constant(node)) and text.lower() in labels:
            targets = [(f"{labels[text.lower()]}.models", f"model label {text!r}")]
        for name, said in targets:
            reached = _resolve(name)
            if reached is not None and reached != module:
                found.append((node.lineno, said, reached))
    return found


def _within(module_path: str, prefixes) -> bool:
    return any(module_path == p or (p.endswith(("/", "_")) and module_path.startswith(p)) for p in prefixes)


def floor_of(module: str) -> int:
    rel = MODULES[module].relative_to(ROOT).as_posix()
    if _within(rel, TOP_FLOOR_INSIDE_APPS):
        return TOP
    return FLOORS.get(module.split(".")[0], TOP)


def _graph() -> dict[str, list[tuple[int, str, str]]]:
    labels = _model_labels()
    return {module: references(module, path, labels) for module, path in MODULES.items()}


def test_no_module_of_a_lower_app_reaches_a_higher_app():
    wrong_way = []
    for module, refs in _graph().items():
        rel = MODULES[module].relative_to(ROOT).as_posix()
        floor = floor_of(module)
        for line, said, reached in refs:
            if floor < TOP and floor_of(reached) > floor:
                wrong_way.append(f"{rel}:{line}: {said} (reaches {reached})")
    floors = "hiring <- rubrics <- interviews <- top"
    assert not wrong_way, f"Imports against the floors ({floors}):\n" + "\n".join(wrong_way)


def _strongly_connected(edges: dict[str, set[str]]) -> list[list[str]]:
    """Tarjan's algorithm: the components of more than one module (or a module importing itself)."""
    index, low, on_stack, stack, components = {}, {}, set(), [], []
    counter = [0]

    def visit(node):
        index[node] = low[node] = counter[0]
        counter[0] += 1
        stack.append(node)
        on_stack.add(node)
        for succ in sorted(edges[node]):
            if succ not in index:
                visit(succ)
                low[node] = min(low[node], low[succ])
            elif succ in on_stack:
                low[node] = min(low[node], index[succ])
        if low[node] == index[node]:
            component = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                component.append(top)
                if top == node:
                    break
            if len(component) > 1 or node in edges[node]:
                components.append(sorted(component))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return components


def _cycle_through(start: str, edges: dict[str, set[str]], component: set[str]) -> list[str]:
    """The shortest path start -> ... -> start inside a component."""
    paths = {start: [start]}
    queue = [start]
    while queue:
        node = queue.pop(0)
        for succ in sorted(edges[node] & component):
            if succ == start:
                return [*paths[node], start]
            if succ not in paths:
                paths[succ] = [*paths[node], succ]
                queue.append(succ)
    return [start]


def test_no_import_cycle_between_project_modules():
    # Imports only: a model looked up by label is resolved at run time, never while importing.
    edges = defaultdict(set)
    for module, refs in _graph().items():
        edges[module] |= {reached for _, said, reached in refs if not said.startswith(LOOKUPS)}
    cycles = []
    for component in _strongly_connected(edges):
        cycles.append(" -> ".join(_cycle_through(component[0], edges, set(component))))
    assert not cycles, "Import cycles between project modules:\n" + "\n".join(cycles)


def test_the_scan_sees_local_imports_lookups_and_labels(tmp_path):
    # given a module that reaches other modules in every way the scan knows
    source = tmp_path / "example.py"
    source.write_text(
        "def f():\n"
        "    from interviews.plans import plan_copy\n"
        "    import_module('interviews.tasks')\n"
        "    apps.get_model('interviews', 'Scorecard')\n"
        "LOGGED = ('interviews.scorecard',)\n"
    )
    # when it is read
    reached = {r for _, _, r in references("hiring.example", source, _model_labels())}
    # then each reference lands in its module
    assert reached == {"interviews.plans", "interviews.tasks", "interviews.models"}


MAX_MODULE_LINES = 600


def test_no_module_outside_migrations_and_tests_is_over_600_lines():
    # A module past this holds several jobs: split it by subject (see README, "Architecture").
    assert MODULES  # the scan found the project's modules
    long = {
        str(path.relative_to(ROOT)): lines
        for path in MODULES.values()
        if (lines := len(path.read_text().splitlines())) > MAX_MODULE_LINES
    }
    assert long == {}, f"Modules over {MAX_MODULE_LINES} lines: {long}"
