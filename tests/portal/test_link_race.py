"""Two requests using one sign-in link at the same moment (PostgreSQL): exactly one signs in."""

import threading

import pytest
from django.db import connection

from careers.portal.services import PortalLinkError, portal_link_create, portal_token_use
from tests.hiring.factories import CandidateFactory
from tests.portal.helpers import token_of

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent writes need PostgreSQL"),
]


def test_a_link_used_twice_at_once_signs_in_once():
    token = token_of(portal_link_create(candidate=CandidateFactory()))
    start, results = threading.Barrier(2), [None, None]

    def use(i):
        try:
            start.wait(10)
            results[i] = portal_token_use(token=token)
        except Exception as exc:
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=use, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    errors = [r for r in results if isinstance(r, Exception)]
    assert len(errors) == 1 and isinstance(errors[0], PortalLinkError) and errors[0].code == "used", results
