"""A sandboxed Django template engine for notification subjects and bodies.

The sandbox: no template loaders (no include/extends), no tag libraries ({% load %} fails), only
the tags in ALLOWED_TAGS (`{% filter %}` included, with the built-in filters), and only the
variables the event documents (events.VARIABLES), which are passed as plain strings, lists and
dicts of strings. Mail is plain text, so nothing is escaped, and what `render()` returns is plain
text (never marked safe): a page that shows it escapes it.

Size: a template longer than HIRELOOP_TEMPLATE_MAX_CHARS, or one that renders more than that
(a filter with a huge width, `{% for %}` inside `{% for %}`), raises TemplateTooLarge while it
renders, before the text is built: a filter whose width or precision exceeds the limit is not
called, every filter's result is measured, and every piece of output is counted as it is produced.
"""

import functools
import re
from functools import lru_cache

from django.conf import settings
from django.template import Context, Engine, Library, Template, TemplateSyntaxError
from django.template.base import FilterExpression, Lexer, Node, NodeList, TokenType, Variable
from django.template.defaulttags import FilterNode, ForNode, TemplateLiteral, WithNode

from .events import LOOP_NAMES, VARIABLES

ALLOWED_TAGS = frozenset(
    {
        "if", "elif", "else", "endif", "for", "empty", "endfor", "with", "endwith", "firstof",
        "cycle", "resetcycle", "spaceless", "endspaceless", "comment", "endcomment", "verbatim",
        "endverbatim", "filter", "endfilter", "now", "ifchanged", "endifchanged", "widthratio",
        "templatetag",
    }
)  # fmt: skip


# Filters whose argument is a width or a precision: the argument alone sets the output's size.
SIZED_FILTERS = frozenset({"ljust", "rjust", "center", "stringformat", "floatformat"})
_DIGITS = re.compile(r"\d+")


class TemplateTooLarge(ValueError):
    """A subject or body longer, or rendering longer, than HIRELOOP_TEMPLATE_MAX_CHARS."""


def max_chars() -> int:
    return settings.HIRELOOP_TEMPLATE_MAX_CHARS


def _too_large(what: str) -> TemplateTooLarge:
    return TemplateTooLarge(f"{what} more than {max_chars():,} characters (HIRELOOP_TEMPLATE_MAX_CHARS).")


def _size(value) -> int:
    return len(value) if isinstance(value, str | list | tuple | dict) else 0


def _largest_number(arg) -> int:
    limit = max_chars()
    largest = 0
    for digits in _DIGITS.findall(str(arg)):
        if len(digits) > len(str(limit)):  # no int() of a thousand digits
            return limit + 1
        largest = max(largest, int(digits))
    return largest


def _bounded(name: str, func):
    """The filter, refusing a width or precision above the limit and a result above it."""

    @functools.wraps(func)
    def bounded(value, *args, **kwargs):
        limit = max_chars()
        if name in SIZED_FILTERS and any(_largest_number(a) > limit for a in args):
            raise _too_large(f"The filter {name} asks for")
        if name == "join" and isinstance(value, list | tuple) and args:
            # Joining is the one filter whose result outgrows both its value and its argument.
            if sum(len(str(item)) for item in value) + len(str(args[0])) * len(value) > limit:
                raise _too_large("The filter join makes")
        result = func(value, *args, **kwargs)
        if _size(result) > limit:
            raise _too_large(f"The filter {name} makes")
        return result

    # Django checks a filter's arguments against the signature of the function it decorates.
    bounded._decorated_function = getattr(func, "_decorated_function", func)
    return bounded


@lru_cache(maxsize=1)
def engine() -> Engine:
    sandbox = Engine(loaders=[], libraries={}, autoescape=False, debug=False)
    libraries = []
    for builtin in sandbox.template_builtins:
        library = Library()
        library.tags = dict(builtin.tags)
        library.filters = {name: _bounded(name, func) for name, func in builtin.filters.items()}
        libraries.append(library)
    sandbox.template_builtins = libraries
    return sandbox


class _CountingContext(Context):
    """The render context, counting the characters produced against the limit."""

    def __init__(self, values: dict):
        super().__init__(values, autoescape=False)
        self.chars_left = max_chars()

    def charge(self, chars: int) -> None:
        self.chars_left -= chars
        if self.chars_left < 0:
            raise _too_large("The template renders")


def _charged(node: Node):
    render_annotated = node.render_annotated
    is_filter = isinstance(node, FilterNode)

    def charged(context):
        before = getattr(context, "chars_left", None)
        output = render_annotated(context)
        if before is not None:
            # A {% filter %} block's text was counted as it was produced: count the difference.
            inside = before - context.chars_left if is_filter else 0
            context.charge(len(output) - inside)
        return output

    return charged


def compile_template(source: str) -> Template:
    """Parse a subject or body; every node that produces text counts it while it renders."""
    if len(source) > max_chars():
        raise _too_large("The template holds")
    return _parsed(source)


@lru_cache(maxsize=256)
def _parsed(source: str) -> Template:
    template = engine().from_string(source)
    for node in template.nodelist.get_nodes_by_type(Node):
        has_children = any(getattr(node, attr, None) for attr in node.child_nodelists)
        if isinstance(node, FilterNode) or not has_children:
            node.render_annotated = _charged(node)
    return template


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
    if isinstance(obj, FilterNode):
        # {% filter upper %} reads the block through a variable of its own ("var"): only the
        # filters' arguments and the block are the template's.
        for _func, args in obj.filter_expr.filters:
            for _lookup, arg in args:
                if isinstance(arg, Variable):
                    found.append(arg)
        _walk(obj.nodelist, found, bound, seen)
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


def template_errors(source: str, *, event: str, variables: dict[str, str] | None = None) -> list[str]:
    """What is wrong with a subject or body for this event (or for these `variables`, e.g. an
    offer letter's); empty when it is fine."""
    offered_variables = VARIABLES[event] if variables is None else variables
    problems = []
    for token in Lexer(source).tokenize():
        if token.token_type == TokenType.BLOCK:
            name = (token.split_contents() or [""])[0]
            if name not in ALLOWED_TAGS:
                problems.append(f"Line {token.lineno}: the tag {{% {name} %}} is not available here.")
    if problems:
        return problems
    try:
        template = compile_template(source)
    except (TemplateSyntaxError, TemplateTooLarge) as exc:
        return [str(exc)]
    found: list[Variable] = []
    bound: set[str] = set()
    _walk(template.nodelist, found, bound, set())
    allowed = set(offered_variables) | bound | LOOP_NAMES
    unknown = sorted({var.lookups[0] for var in found if var.lookups and var.lookups[0] not in allowed})
    if unknown:
        names = ", ".join(unknown)
        offered = ", ".join(sorted(offered_variables))
        return [f"Unknown variable{'s' if len(unknown) > 1 else ''}: {names}. This event offers: {offered}."]
    try:
        render(source, sample_context(event, offered_variables))
    except TemplateTooLarge as exc:
        return [f"{exc} Shorten it."]
    except Exception as exc:  # a filter that fails on real values
        return [f"The template does not render: {exc}"]
    return []


def render(source: str, context: dict) -> str:
    """Render a subject or body with plain values (strings, lists, dicts of strings).

    Plain text: Django marks what it renders safe for HTML, but mail text escapes nothing, so
    the mark is dropped here and any page showing the result escapes it. Raises TemplateTooLarge.
    """
    output = compile_template(source).render(_CountingContext(context))
    return str.__str__(output)  # a plain str, no longer a SafeString


def render_subject(source: str, context: dict) -> str:
    # A header is one line.
    return " ".join(render(source, context).split())[:300]


SAMPLE_SESSION = {
    "name": "Live coding",
    "format": "Video call",
    "duration": "60 minutes",
    "ai_policy": "AI tools allowed",
    "ai_note": "Use the assistant you use every day.",
    "window": "",
    "deadline": "",
}


def sample_context(event: str, variables: dict[str, str] | None = None) -> dict:
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
        "deadline": "",
        "is_paid": "",
        "pay": "",
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
        "portal_link": "https://hireloop.example.com/portal/",
        "change": "booked",
        "application_link": "https://hireloop.example.com/admin/",
        "track_stage": "Technical interview",
        "track_name": "Take-home",
        "previous_track": "",
        "changed_by": "the candidate",
        "link": "https://hireloop.example.com/admin/",
        "kit_name": "Take-home exercise",
        "is_late": "",
        "files": ["solution.pdf"],
        "links": ["https://github.com/ada/solution"],
        "extension_status": "requested",
        "requested_deadline": "Fri 27 Nov 2026, 18:00 (UTC)",
    }
    values.update(SAMPLE_OFFER)
    return {name: values.get(name, "") for name in (VARIABLES[event] if variables is None else variables)}


SAMPLE_OFFER = {
    "subject": "The offer to Ada Lovelace",
    "step_label": "Finance",
    "requested_by": "Grace Hopper",
    "outcome": "approved",
    "decided_by": "Alan Turing",
    "comment": "",
    "salary": "85,000 EUR per year",
    "base_salary": "85,000",
    "currency": "EUR",
    "pay_period": "per year",
    "bonus": "10% of base, yearly",
    "equity": "2,000 options over 4 years",
    "start_date": "Monday 04 January 2027",
    "location": "Paris",
    "contract_type": "Permanent",
    "expires_on": "Friday 18 December 2026",
    "extra": {"relocation": "Up to 5,000 EUR"},
    "offer_version": "1",
    "answer": "accepted",
}
