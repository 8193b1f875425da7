"""Who may do what has one home, hiring.roles; no other module writes a role set of its own."""

import ast
from pathlib import Path

import pytest

from hiring import roles
from hiring.models import Role

ROOT = Path(__file__).resolve().parents[2]
APPS = ("hiring", "rubrics", "interviews", "config", "tools", "dashboard")


@pytest.mark.parametrize(
    ("rights", "expected"),
    [
        (roles.READERS, {Role.COMPANY_ADMIN, Role.RECRUITER, Role.HIRING_MANAGER}),
        (roles.MOVERS, {Role.COMPANY_ADMIN, Role.RECRUITER, Role.HIRING_MANAGER}),
        (roles.DECIDERS, {Role.RECRUITER, Role.HIRING_MANAGER}),
        (roles.SCHEDULERS, {Role.COMPANY_ADMIN, Role.RECRUITER, Role.HIRING_MANAGER}),
        (roles.RECRUITERS, {Role.COMPANY_ADMIN, Role.RECRUITER}),
        (roles.ADMINISTRATORS, {Role.COMPANY_ADMIN}),
        (roles.EVERYONE, set(Role.values)),
    ],
)
def test_each_right_is_held_by_its_roles(rights, expected):
    assert rights == expected
    assert Role.INTERVIEWER not in rights or rights == roles.EVERYONE


def _role_sets_outside_roles_module():
    """Every literal set of roles (`{Role.X, ...}`, `frozenset({...})`) written outside hiring/roles.py."""
    role_values = set(Role.values)
    found = []
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" in path.parts or path == ROOT / "hiring" / "roles.py":
                continue
            for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
                if not isinstance(node, ast.Set):
                    continue
                members = []
                for elt in node.elts:
                    role_attribute = isinstance(elt, ast.Attribute) and isinstance(elt.value, ast.Name)
                    if role_attribute and elt.value.id == "Role":
                        members.append(elt.attr)
                    elif isinstance(elt, ast.Constant) and elt.value in role_values:
                        members.append(elt.value)
                if len(members) == len(node.elts):
                    found.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    return found


def test_no_module_writes_a_role_set_of_its_own():
    assert _role_sets_outside_roles_module() == []
