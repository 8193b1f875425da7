"""Admin for the hiring app, one module per area: set-up (companies, members, templates), pipeline
and candidate privacy."""

from . import applications, privacy, setup  # noqa: F401

# The candidate admin is registered by the applications module; the privacy actions join it here.
privacy.candidate_privacy_actions_install()
