"""Login protection: lockout after failed logins (django-axes) and TOTP two-factor (django-otp)."""

import pytest
from django.test import Client, override_settings
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

LOGIN = "/admin/login/?next=/admin/"


def _post_login(username, password, *, ip="203.0.113.5", **fields):
    return Client(REMOTE_ADDR=ip).post(LOGIN, {"username": username, "password": password, **fields})


def _code(device) -> str:
    token = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).token()
    return f"{token:0{device.digits}d}"


@override_settings(AXES_ENABLED=True)
def test_five_failed_logins_lock_out_that_user_from_that_address(recruiter):
    # the first four failures show the login form again
    for _ in range(4):
        assert _post_login("acme-recruiter", "wrong").status_code == 200
    # the fifth locks the pair out, with a message
    locked = _post_login("acme-recruiter", "wrong")
    assert locked.status_code == 429
    assert "Too many failed logins" in locked.content.decode()
    # then even the right password is refused from that address
    assert _post_login("acme-recruiter", "pw").status_code == 429
    # but the same user from another address, and another user from that address, may log in
    assert _post_login("acme-recruiter", "pw", ip="198.51.100.7").status_code == 302


@override_settings(AXES_ENABLED=True)
def test_another_user_from_a_locked_address_may_log_in(recruiter, hiring_manager):
    for _ in range(5):
        _post_login("acme-recruiter", "wrong")
    assert _post_login("acme-manager", "pw").status_code == 302


@override_settings(AXES_ENABLED=True)
def test_lockouts_are_listed_in_the_admin_for_superusers_only(
    recruiter, superuser, admin_client_for, company_admin_client
):
    for _ in range(5):
        _post_login("acme-recruiter", "wrong")
    page = admin_client_for(superuser).get("/admin/axes/accessattempt/")
    assert page.status_code == 200
    assert "acme-recruiter" in page.content.decode()
    assert company_admin_client.get("/admin/axes/accessattempt/").status_code == 403


def test_staff_without_an_authenticator_log_in_with_their_password(recruiter):
    assert _post_login("acme-recruiter", "pw").status_code == 302


def test_staff_with_an_authenticator_need_its_code(recruiter):
    device = TOTPDevice.objects.create(user=recruiter, name="phone", confirmed=True)
    refused = _post_login("acme-recruiter", "pw")
    assert refused.status_code == 200
    assert _post_login("acme-recruiter", "pw", otp_token="000000").status_code == 200
    device.refresh_from_db()
    device.throttle_reset()  # a wrong code delays the next try; the test does not wait
    assert _post_login("acme-recruiter", "pw", otp_token=_code(device)).status_code == 302


@override_settings(HIRELOOP_REQUIRE_2FA=True)
def test_required_two_factor_sends_unverified_staff_to_set_it_up(recruiter, recruiter_client):
    # given a logged-in staff member without an authenticator, while 2FA is required
    response = recruiter_client.get("/admin/hiring/processtemplate/")
    assert response.status_code == 302 and response.url.startswith("/admin/login/")
    assert recruiter_client.get(response.url).url == "/admin/two-factor/"
    setup = recruiter_client.get("/admin/two-factor/")
    assert setup.status_code == 200 and "totp-secret" in setup.content.decode()
    device = TOTPDevice.objects.get(user=recruiter, confirmed=False)
    # a wrong code is refused
    wrong = recruiter_client.post("/admin/two-factor/", {"token": "000000"})
    assert wrong.status_code == 200 and "does not match" in wrong.content.decode()
    device.refresh_from_db()
    device.throttle_reset()
    # when they confirm a code from their app, the session is verified and the admin opens
    confirmed = recruiter_client.post("/admin/two-factor/", {"token": _code(device)})
    assert confirmed.status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    assert recruiter_client.get("/admin/hiring/processtemplate/").status_code == 200


@override_settings(HIRELOOP_REQUIRE_2FA=True)
def test_required_two_factor_login_with_code_opens_the_admin(recruiter):
    device = TOTPDevice.objects.create(user=recruiter, name="phone", confirmed=True)
    client = Client()
    assert client.post(LOGIN, {"username": "acme-recruiter", "password": "pw"}).status_code == 200
    credentials = {"username": "acme-recruiter", "password": "pw", "otp_token": _code(device)}
    response = client.post(LOGIN, credentials)
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200


@pytest.mark.parametrize("required", [False, True])
def test_two_factor_page_needs_a_staff_login(db, required):
    with override_settings(HIRELOOP_REQUIRE_2FA=required):
        response = Client().get("/admin/two-factor/")
    assert response.status_code == 302 and "/admin/login/" in response.url
