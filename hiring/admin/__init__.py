"""Admin for the hiring app, one module per area: set-up (companies, members, templates) and pipeline."""

from . import privacy, setup  # noqa: F401

privacy.candidate_privacy_actions_install()
