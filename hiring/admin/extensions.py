"""Extension points of the application change page.

The hiring app owns the application page; other apps (interviews: the panel's scores, the verdict,
scheduling) add to it without the hiring app importing them. Each app registers from its own admin
module, which Django imports at start-up.

- A panel is a callable ``panel(request, application) -> str``: HTML rendered below the form, in
  registration order, built with a template or ``format_html`` (a SafeString); a plain ``str`` is
  shown as text, escaped. It must run a constant number of queries.
- An inline is a ModelAdmin inline class shown on the application page.
- A plan annotation is a named expression added to the query that reads the job's plan (its
  stages) for the page; the stages, annotated, are on the application as ``application.plan``
  while the panels render, so a panel reads what it needs of the plan without a query of its own
  (interviews: which stages have a hire bar, for the loop verdict).
"""

from collections.abc import Callable

APPLICATION_PANELS: list[Callable] = []
APPLICATION_INLINES: list[type] = []


def register_application_panel(panel: Callable) -> Callable:
    if panel not in APPLICATION_PANELS:
        APPLICATION_PANELS.append(panel)
    return panel


def register_application_inline(inline: type) -> type:
    if inline not in APPLICATION_INLINES:
        APPLICATION_INLINES.append(inline)
    return inline


APPLICATION_PLAN_ANNOTATIONS: dict[str, Callable] = {}


def register_plan_annotation(name: str, expression: Callable) -> None:
    """`expression()` returns the expression (built when the page is read, after start-up)."""
    APPLICATION_PLAN_ANNOTATIONS[name] = expression
