"""Extension points of the application change page.

The hiring app owns the application page; other apps (interviews: the panel's scores, the verdict,
scheduling) add to it without the hiring app importing them. Each app registers from its own admin
module, which Django imports at start-up.

- A panel is a callable ``panel(request, application) -> str``: HTML rendered below the page's
  actions and plan, by ``position`` (then registration order), built with a template or
  ``format_html`` (a SafeString); a plain ``str`` is shown as text, escaped. It must run a
  constant number of queries. Positions follow the order a recruiter reads the page:
  ``PANEL_INTERVIEWS`` (interviews, scorecards, score matrix), ``PANEL_HANDINS`` (hand-ins and
  answers), ``PANEL_HISTORY`` (emails and other history, just above the timeline).
- An action is a callable ``action(request, application) -> str``: a link or button (safe HTML)
  shown in the actions bar right under the page's header, beside the moves (interviews: schedule
  an interview, record a decision). No query of its own.
- An inline is a ModelAdmin inline class shown on the application page.
- A plan annotation is a named expression added to the query that reads the job's plan (its
  stages) for the page; the stages, annotated, are on the application as ``application.plan``
  while the panels render, so a panel reads what it needs of the plan without a query of its own
  (interviews: which stages have a hire bar, for the loop verdict).
- A list is a named ``hiring.json_rows.json_rows`` subquery, built per request by
  ``expression(request)``, read in the query that reads the application for its page: the JSON
  rows are on the application as ``application.<name>`` (rebuild them with
  ``hiring.json_rows.rows_from_json``), so a panel shows a list without a query of its own. Absent
  when the application was read elsewhere: the panel then reads the list itself.
"""

from collections.abc import Callable

PANEL_INTERVIEWS, PANEL_HANDINS, PANEL_HISTORY = 10, 20, 30

APPLICATION_PANELS: list[Callable] = []
APPLICATION_ACTIONS: list[Callable] = []
APPLICATION_INLINES: list[type] = []


def register_application_panel(panel: Callable | None = None, *, position: int = PANEL_HISTORY):
    """Register a panel (usable as ``@register_application_panel`` or with a ``position``)."""

    def register(panel: Callable) -> Callable:
        if panel not in APPLICATION_PANELS:
            panel.panel_position = position
            APPLICATION_PANELS.append(panel)
            APPLICATION_PANELS.sort(key=lambda p: p.panel_position)  # stable: registration order kept
        return panel

    return register if panel is None else register(panel)


def register_application_action(action: Callable) -> Callable:
    if action not in APPLICATION_ACTIONS:
        APPLICATION_ACTIONS.append(action)
    return action


def register_application_inline(inline: type) -> type:
    if inline not in APPLICATION_INLINES:
        APPLICATION_INLINES.append(inline)
    return inline


APPLICATION_PLAN_ANNOTATIONS: dict[str, Callable] = {}


def register_plan_annotation(name: str, expression: Callable) -> None:
    """`expression()` returns the expression (built when the page is read, after start-up)."""
    APPLICATION_PLAN_ANNOTATIONS[name] = expression


APPLICATION_LISTS: dict[str, Callable] = {}


def register_application_list(name: str, expression: Callable) -> None:
    """`expression(request)` returns the list's subquery (built when the page is read)."""
    APPLICATION_LISTS[name] = expression
