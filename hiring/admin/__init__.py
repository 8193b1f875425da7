"""Admin for the hiring app, one module per area: set-up (companies, members, templates), jobs,
candidates, applications (with their bulk moves, import and export) and candidate privacy."""

from . import applications, candidates, jobs, preferences, privacy, questions, setup  # noqa: F401
from . import applications, candidates, jobs, notes, privacy, questions, setup  # noqa: F401

# The candidate admin is registered by the candidates module; the privacy actions join it here.
privacy.candidate_privacy_actions_install()
