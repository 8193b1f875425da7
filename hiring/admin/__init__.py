"""Admin for the hiring app, one module per area: set-up (companies, members, templates), jobs,
candidates, applications (with their bulk moves, import and export) and candidate privacy."""

from . import (  # noqa: F401
    applications,
    candidates,
    jobs,
    notes,  # noqa: F401
    preferences,
    privacy,
    questions,
    setup,
)

# The candidate admin is registered by the candidates module; the privacy actions join it here.
privacy.candidate_privacy_actions_install()
