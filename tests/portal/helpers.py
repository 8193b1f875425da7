"""Signing a test client in to the candidate portal, the way a sign-in link does."""

from django.test import Client
from django.urls import reverse

from careers.portal.services import portal_link_create


def token_of(link: str) -> str:
    return link.rstrip("/").rsplit("/", 1)[-1]


def portal_sign_in(client: Client, candidate) -> Client:
    """Use a fresh link for `candidate` with `client` (GET then the confirming POST)."""
    token = token_of(portal_link_create(candidate=candidate))
    response = client.post(reverse("portal:sign_in", args=[token]))
    assert response.status_code == 302, response.status_code
    return client


def portal_client(candidate) -> Client:
    """A new client signed in as `candidate`."""
    return portal_sign_in(Client(), candidate)
