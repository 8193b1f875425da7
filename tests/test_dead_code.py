"""No dead functions: every top-level function of the project is used by the project itself, not only
by its tests. A function kept for a caller that does not exist yet is listed below with the reason."""

import ast
import re
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APPS = ("config", "hiring", "rubrics", "interviews", "tools", "careers")

# Used by no code of the project today, kept on purpose.
KEPT = {
    # The extension point of the application page for inlines (hiring/admin/extensions.py), beside
    # the panels one; listed in the README's architecture section.
    "register_application_inline": "extension point",
    # The one write of ApplicationTrack with its rule (a track of the job's own plan), for the
    # candidate portal that lets a candidate choose.
    "application_choose_track": "service without a page yet",
    # Offers and job-opening approvals: the services and their tests are in; the offer section of
    # the application page, the job page's approval buttons and the portal's offer page are not.
    **dict.fromkeys(
        [
            "offer_draft",
            "offer_revise",
            "offer_submit",
            "offer_send",
            "offer_accept",
            "offer_decline",
            "offer_withdraw",
            "job_opening_request",
        ],
        "service without a page yet",
    ),
}


def _sources() -> dict[Path, str]:
    sources = {}
    for app in APPS:
        for path in (ROOT / app).rglob("*"):
            if path.suffix in (".py", ".html", ".txt") and "migrations" not in path.parts:
                sources[path] = path.read_text()
    return sources


# Decorators that register a function where the framework calls it (checks, signals, tasks, admin).
REGISTERING = re.compile(r"register|receiver|shared_task|\btask\b|\.connect\b|admin\.(action|display)")


def _functions(sources: dict[Path, str]) -> list[tuple[Path, str]]:
    """Top-level functions that only a call in the project can reach."""
    found = []
    for path, text in sources.items():
        if path.suffix != ".py":
            continue
        for node in ast.parse(text, filename=str(path)).body:
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and not any(
                REGISTERING.search(ast.unparse(d)) for d in node.decorator_list
            ):
                found.append((path, node.name))
    return found


def test_every_top_level_function_is_used_by_the_project():
    sources = _sources()
    words = Counter(re.findall(r"\w+", "\n".join(sources.values())))
    unused = []
    for path, name in _functions(sources):
        if name in KEPT:
            continue
        # the definition is one occurrence; a use anywhere else in the code or templates is another
        if words[name] < 2:
            unused.append(f"{path.relative_to(ROOT)}: {name}")
    assert unused == []


def test_the_kept_functions_still_exist():
    names = {name for _, name in _functions(_sources())}
    assert set(KEPT) <= names
