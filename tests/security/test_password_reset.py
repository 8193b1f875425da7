"""Password reset: Django's views in the admin's look, the same answer for any address."""

import re

from django.core import mail
from django.test import Client


def test_the_login_page_links_to_password_reset(db):
    body = Client().get("/admin/login/").content.decode()
    assert 'href="/admin/password_reset/"' in body


def test_password_reset_answers_the_same_for_known_and_unknown_addresses(company_admin):
    pages = []
    for email in (company_admin.email, "nobody@example.org"):
        response = Client().post("/admin/password_reset/", {"email": email}, follow=True)
        assert response.redirect_chain == [("/admin/password_reset/done/", 302)]
        pages.append(response.content.decode())
    assert pages[0] == pages[1]
    assert [m.to for m in mail.outbox] == [[company_admin.email]]


def test_the_reset_link_sets_a_new_password_and_ignores_the_host_header(company_admin, settings):
    settings.NOTIFICATIONS_BASE_URL = "https://hireloop.example.com"
    Client(HTTP_HOST="localhost").post("/admin/password_reset/", {"email": company_admin.email})
    link = re.search(r"https?://\S+/accounts/reset/\S+/", mail.outbox[0].body).group(0)
    assert link.startswith("https://hireloop.example.com/accounts/reset/")
    client = Client()
    response = client.get(link.removeprefix("https://hireloop.example.com"), follow=True)
    assert "Hireloop" in response.content.decode()
    set_url = response.redirect_chain[-1][0]
    response = client.post(
        set_url, {"new_password1": "An0ther-g00d-one", "new_password2": "An0ther-g00d-one"}
    )
    assert response.status_code == 302
    assert Client().login(username=company_admin.username, password="An0ther-g00d-one")


def test_a_member_added_without_a_password_can_set_one(company_admin):
    company_admin.set_unusable_password()
    company_admin.save()
    Client().post("/admin/password_reset/", {"email": company_admin.email})
    assert [m.to for m in mail.outbox] == [[company_admin.email]]


def test_an_account_without_password_and_membership_gets_no_link(db):
    from tests.hiring.factories import UserFactory

    user = UserFactory(username="loose", email="loose@example.org")
    user.set_unusable_password()
    user.save()
    Client().post("/admin/password_reset/", {"email": "loose@example.org"})
    assert mail.outbox == []
