"""A sandboxed Django template engine for notification subjects and bodies.

The sandbox: no template loaders (no include/extends), no tag libraries ({% load %} fails), only
the tags in ALLOWED_TAGS, and only the variables the event documents (events.VARIABLES), which are
passed as plain strings, lists and dicts of strings. Mail is plain text, so nothing is escaped.
"""

from functools import lru_cache

from django.template import Context, Engine, TemplateSyntaxError
from django.template.base import FilterExpression, Lexer, NodeList, TokenType, Variable
from django.template.defaulttags import ForNode, TemplateLiteral, WithNode

from .events import LOOP_NAMES, VARIABLES

ALLOWED_TAGS = frozenset(
    {
        "if", "elif", "else", "endif", "for", "empty", "endfor", "with", "endwith", "firstof",
        "cycle", "resetcycle", "spaceless", "endspaceless", "comment", "endcomment", "verbatim",
        "endverbatim", "filter", "endfilter", "now", "ifchanged", "endifchanged", "widthratio",
        "templatetag",
    }
)  # fmt: skip


@lru_cache(maxsize=1)
def engine() -> Engine:
    return Engine(loaders=[], libraries={}, autoescape=False, debug=False)


def _walk(obj, found: list[Variable], bound: set[str], seen: set[int]) -> None:
    """Collect every variable a parsed template reads, and the names it binds itself."""
    if id(obj) in seen or obj is None or isinstance(obj, str | int | float | bool):
        return
    seen.add(id(obj))
    if isinstance(obj, FilterExpression):
        if isinstance(obj.var, Variable):
            found.append(obj.var)
        for _func, args in obj.filters:
            for _lookup, arg in args:
                if isinstance(arg, Variable):
                    found.append(arg)
        return
    if isinstance(obj, NodeList | list | tuple):
        for item in obj:
            _walk(item, found, bound, seen)
        return
    if isinstance(obj, dict):
        for value in obj.values():
            _walk(value, found, bound, seen)
        return
    if isinstance(obj, ForNode):
        bound.update(obj.loopvars)
    if isinstance(obj, WithNode):
        bound.update(obj.extra_context)
    for name in ("asvar", "variable_name", "var_name"):
        value = getattr(obj, name, None)
        if isinstance(value, str):
            bound.add(value)
    if isinstance(obj, TemplateLiteral):
        _walk(obj.value, found, bound, seen)
        return
    attrs = getattr(obj, "__dict__", None)
    if attrs is None:
        return
    for key, value in attrs.items():
        if key in ("token", "origin", "source"):
            continue
        _walk(value, found, bound, seen)


def template_errors(source: str, *, event: str) -> list[str]:
    """What is wrong with a subject or body for this event; empty when it is fine."""
    problems = []
    for token in Lexer(source).tokenize():
        if token.token_type == TokenType.BLOCK:
            name = (token.split_contents() or [""])[0]
            if name not in ALLOWED_TAGS:
                problems.append(f"Line {token.lineno}: the tag {{% {name} %}} is not available here.")
    if problems:
        return problems
    try:
        template = engine().from_string(source)
    except TemplateSyntaxError as exc:
        return [str(exc)]
    found: list[Variable] = []
    bound: set[str] = set()
    _walk(template.nodelist, found, bound, set())
    allowed = set(VARIABLES[event]) | bound | LOOP_NAMES
    unknown = sorted({var.lookups[0] for var in found if var.lookups and var.lookups[0] not in allowed})
    if unknown:
        names = ", ".join(unknown)
        offered = ", ".join(sorted(VARIABLES[event]))
        return [f"Unknown variable{'s' if len(unknown) > 1 else ''}: {names}. This event offers: {offered}."]
    try:
        render(source, sample_context(event))
    except Exception as exc:  # a filter that fails on real values
        return [f"The template does not render: {exc}"]
    return []


def render(source: str, context: dict) -> str:
    """Render a subject or body with plain values (strings, lists, dicts of strings)."""
    return engine().from_string(source).render(Context(context, autoescape=False))


def render_subject(source: str, context: dict) -> str:
    # A header is one line.
    return " ".join(render(source, context).split())[:300]


SAMPLE_SESSION = {
    "name": "Live coding",
    "format": "Video call",
    "duration": "60 minutes",
    "ai_policy": "AI tools allowed",
    "ai_note": "Use the assistant you use every day.",
}


def sample_context(event: str) -> dict:
    """Sample values for every variable of the event, used to check and preview templates."""
    values = {
        "company_name": "Acme",
        "recipient_name": "Ada Lovelace",
        "candidate_name": "Ada Lovelace",
        "job_title": "Backend Engineer",
        "stage_name": "Technical interview",
        "stage_instructions": "Two sessions with engineers of the team.",
        "format": "Video call",
        "duration": "60 minutes",
        "ai_policy": "AI tools allowed",
        "ai_note": "Use the assistant you use every day.",
        "tracks": ["Live coding", "Take-home"],
        "sessions": [SAMPLE_SESSION],
        "is_paid": "",
        "interview_name": "Live coding",
        "interview_start": "Tue 24 Nov 2026, 14:00 (UTC)",
        "interview_end": "Tue 24 Nov 2026, 15:00 (UTC)",
        "interview_timezone": "UTC",
        "interview_location": "",
        "interview_link": "https://meet.example.com/abc",
        "interviewers": ["Grace Hopper", "Alan Turing"],
        "previous_start": "Mon 23 Nov 2026, 10:00 (UTC)",
        "reason": "Not enough experience with distributed systems",
        "note": "",
        "scorecard_link": "https://hireloop.example.com/admin/",
        "days_overdue": "1",
        "applications": [
            {
                "candidate_name": "Ada Lovelace",
                "job_title": "Backend Engineer",
                "stage_name": "Technical interview",
                "days_in_stage": "9",
                "sla_days": "5",
                "link": "https://hireloop.example.com/admin/",
            }
        ],
        "count": "1",
    }
    return {name: values.get(name, "") for name in VARIABLES[event]}
