"""One rate-limiting mechanism (config/ratelimit.py) on login, password reset and invitation links."""

import pytest
from django.core import mail
from django.test import Client, RequestFactory, override_settings

from config.ratelimit import rate_limited

LIMITS = {"login": "3/m", "password_reset": "2/h", "link": "3/m"}


@pytest.fixture(autouse=True)
def _small_limits(settings):
    settings.HIRELOOP_RATE_LIMITS = LIMITS


def test_login_answers_429_after_the_limit(company_admin):
    client = Client()
    for _ in range(3):
        response = client.post("/admin/login/", {"username": company_admin.username, "password": "wrong"})
        assert response.status_code == 200
    response = client.post("/admin/login/", {"username": company_admin.username, "password": "pw"})
    assert response.status_code == 429
    assert response["Retry-After"]
    # another address still logs in
    other = Client(REMOTE_ADDR="10.0.0.9")
    response = other.post("/admin/login/", {"username": company_admin.username, "password": "pw"})
    assert response.status_code == 302


def test_password_reset_answers_429_after_the_limit_per_address_and_per_email(company_admin):
    client = Client()
    for _ in range(2):
        assert client.post("/admin/password_reset/", {"email": company_admin.email}).status_code == 302
    assert client.post("/admin/password_reset/", {"email": "someone@else.org"}).status_code == 429
    # the same email from other addresses is limited too (no mail-bombing one inbox)
    response = Client(REMOTE_ADDR="10.0.0.7").post(
        "/admin/password_reset/", {"email": company_admin.email.upper()}
    )
    assert response.status_code == 429
    assert len(mail.outbox) == 2


def test_invitation_links_answer_429_after_the_limit(db):
    client = Client()
    for n in range(3):
        assert client.get(f"/accounts/invitation/guess-{n}/").status_code == 404
    assert client.get("/accounts/invitation/guess-4/").status_code == 429
    assert client.get("/accounts/reset/MQ/set-password/").status_code == 429


@override_settings(RATELIMIT_ENABLE=True)
def test_the_decorator_limits_any_view_by_group():
    @rate_limited("public", methods=("POST",))
    def view(request):
        from django.http import HttpResponse

        return HttpResponse("ok")

    factory = RequestFactory()
    with override_settings(HIRELOOP_RATE_LIMITS={"public": "1/m"}):
        assert view(factory.get("/")).status_code == 200
        assert view(factory.get("/")).status_code == 200  # GET does not count
        assert view(factory.post("/")).status_code == 200
        assert view(factory.post("/")).status_code == 429
