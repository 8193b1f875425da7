"""After login: a safe ?next= is followed, an unsafe one or none lands on the admin index."""

import pytest
from django.test import Client


@pytest.mark.parametrize(
    "next_url",
    ["https://evil.example/phish", "//evil.example/", "javascript:alert(1)", "http:\\\\evil.example"],
)
def test_an_unsafe_next_after_login_goes_to_the_admin_index(recruiter, next_url):
    response = Client().post(
        "/admin/login/", {"username": "acme-recruiter", "password": "pw", "next": next_url}
    )
    assert response.status_code == 302
    assert response["Location"] == "/admin/"


def test_a_login_without_next_goes_to_the_admin_index(recruiter):
    response = Client().post("/admin/login/", {"username": "acme-recruiter", "password": "pw"})
    assert response["Location"] == "/admin/"


def test_a_safe_next_after_login_is_followed(recruiter):
    response = Client().post(
        "/admin/login/", {"username": "acme-recruiter", "password": "pw", "next": "/admin/hiring/job/"}
    )
    assert response["Location"] == "/admin/hiring/job/"
