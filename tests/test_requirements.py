"""Every pinned requirement is used: imported by the project's code, or used by name where a table
below says so (a driver, a plugin, a server or a tool run by a command)."""

import ast
import importlib.metadata
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Requirements used without an import statement: the file that uses each, and the text showing it.
USED_BY_NAME = {
    "crispy-bootstrap5": ("config/settings/base.py", '"crispy_bootstrap5"'),
    "whitenoise": ("config/settings/production.py", "whitenoise.middleware.WhiteNoiseMiddleware"),
    "psycopg": ("config/settings/base.py", 'endswith("postgresql")'),
    "gunicorn": ("Procfile", "web: gunicorn "),
    "pytest-django": ("pyproject.toml", "DJANGO_SETTINGS_MODULE"),
    "pytest-xdist": ("Makefile", "pytest -q -n 2"),
    "ruff": ("Makefile", "ruff check"),
}


def _normal(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _requirements() -> list[tuple[str, str]]:
    lines = []
    for line in (ROOT / "requirements.txt").read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            lines.append((_normal(re.split(r"[=\[ ]", line.strip())[0]), line))
    return lines


def _imported_modules() -> set[str]:
    modules = set()
    for path in ROOT.rglob("*.py"):
        if {".venv", ".git", "node_modules"} & set(path.relative_to(ROOT).parts):
            continue
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
            if isinstance(node, ast.Import):
                modules |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                modules.add(node.module.split(".")[0])
    return modules


def _top_level_modules() -> dict[str, set[str]]:
    by_distribution: dict[str, set[str]] = {}
    for module, distributions in importlib.metadata.packages_distributions().items():
        for distribution in distributions:
            by_distribution.setdefault(_normal(distribution), set()).add(module)
    return by_distribution


def test_every_requirement_is_imported_or_used_by_name():
    imported = _imported_modules()
    modules = _top_level_modules()
    unused = []
    for name, line in _requirements():
        if name in USED_BY_NAME:
            path, marker = USED_BY_NAME[name]
            assert marker in (ROOT / path).read_text(), f"{name}: {path} no longer shows {marker!r}"
        elif not modules.get(name, set()) & imported:
            unused.append(line)
    assert unused == []


def test_every_requirement_is_pinned_with_a_comment_saying_why():
    for _, line in _requirements():
        assert re.match(r"^[\w.\-\[\]]+==[\w.]+  # \S", line), line


def test_the_used_by_name_table_names_only_requirements():
    assert set(USED_BY_NAME) <= {name for name, _ in _requirements()}
