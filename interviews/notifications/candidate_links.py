"""Extension point: the candidate's own link in every email they receive, and how the outbox
hides such links from anyone but their recipient.

The candidate portal lives in a higher app (careers), which this app may not import. It
registers, in its AppConfig.ready(), one function that makes a fresh sign-in link for a candidate
and the pattern of those links; the producers call `candidate_link()` for each candidate email
(context "portal_link"), and the outbox screens show rows through `personal_links_hidden()`.
Without a registration (the portal not installed) the link is empty and the default wording
leaves it out.
"""

import re
from collections.abc import Callable

from hiring.models import Candidate

_link_maker: list[Callable[[Candidate], str]] = []
# (pattern, what replaces it) of every personal link that must not work for anyone but its recipient.
_personal_links: list[tuple[re.Pattern, str]] = [
    (re.compile(r"/accounts/invitation/[A-Za-z0-9_-]+/"), "/accounts/invitation/(personal link, hidden)/"),
]


def register_candidate_link(maker: Callable[[Candidate], str], *, pattern: str, hidden: str) -> None:
    """Register the function that returns a fresh personal link for a candidate (absolute URL),
    and the regular expression of such links with the text shown instead of them."""
    _link_maker[:] = [maker]
    entry = (re.compile(pattern), hidden)
    if all(p.pattern != pattern for p, _ in _personal_links):
        _personal_links.append(entry)


def candidate_link(candidate: Candidate) -> str:
    """A fresh personal link for the candidate, or "" without a portal (or for an erased candidate)."""
    if not _link_maker or candidate.anonymised_at is not None:
        return ""
    return _link_maker[0](candidate)


def personal_links_hidden(text: str) -> str:
    """`text` with every registered personal link replaced by its hidden form."""
    for pattern, hidden in _personal_links:
        text = pattern.sub(hidden, text)
    return text
