"""Admin for the interviews app, one module per area: interviews and scorecards, decisions, the
panels of the application page, the outbox."""

from . import availability, decisions, interviews, notifications, panels, portal, scorecards  # noqa: F401
