"""Admin for the hiring app, one module per area: set-up (companies, members, templates) and pipeline."""

from . import pipeline, setup  # noqa: F401
