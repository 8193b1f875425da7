"""Admin for the interviews app, one module per area: interviews and scorecards, the outbox."""

from . import notifications  # noqa: F401
