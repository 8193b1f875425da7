import re
from pathlib import Path

import pytest
from django.urls import reverse

from tests.careers.factories import job_with_loop, published_job
from tests.hiring.factories import ApplicationFactory, CompanyFactory

PO = Path(__file__).resolve().parents[2] / "careers" / "locale" / "fr" / "LC_MESSAGES" / "django.po"


def test_every_candidate_facing_string_has_a_french_translation():
    entries = PO.read_text(encoding="utf-8").split("\n\n")[1:]  # the header first
    assert entries
    for entry in entries:
        msgid = "".join(re.findall(r'"(.*)"', entry.split("msgstr")[0]))
        assert "#, fuzzy" not in entry, msgid
        # a msgstr, wrapped over several lines or not, with some text
        for msgstr in re.findall(r'^msgstr(?:\[\d\])? ((?:".*"\n?)+)', entry, re.M):
            assert "".join(re.findall(r'"(.*)"', msgstr)), f"untranslated: {msgid}"


@pytest.mark.django_db
def test_the_public_pages_follow_accept_language_and_the_admin_stays_english(client):
    job = job_with_loop()
    page = client.get(
        reverse("careers:jobs", args=[job.company.slug]), HTTP_ACCEPT_LANGUAGE="fr"
    ).content.decode()
    assert '<html lang="fr">' in page and "Offres ouvertes chez" in page and "Rechercher" in page
    page = client.get(
        reverse("careers:job", args=[job.company.slug, job.pk]), HTTP_ACCEPT_LANGUAGE="fr"
    ).content.decode()
    for french in (
        "Comment nous recrutons",
        "Pas d’outils d’IA",
        "sauf un bloc de 20 minutes sans IA",
        "Rémunéré",
    ):
        assert french in page
    admin = client.get(reverse("admin:login"), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Username" in admin and "Nom d’utilisateur" not in admin


@pytest.mark.django_db
def test_the_language_switch_sets_the_language_without_javascript(client):
    company = CompanyFactory()
    url = reverse("careers:jobs", args=[company.slug])
    response = client.post(reverse("careers:set_language"), {"language": "fr", "next": url})
    assert response.status_code == 302 and response["Location"] == url
    assert "Offres ouvertes chez" in client.get(url).content.decode()


def _jobs(company, n):
    for _ in range(n):
        job = job_with_loop(company)
        for _ in range(2):
            ApplicationFactory(company=company, job=job)


@pytest.mark.django_db
@pytest.mark.parametrize("n", [3, 6])
def test_the_list_page_costs_at_most_four_queries_whatever_the_jobs(client, django_assert_max_num_queries, n):
    company = CompanyFactory()
    _jobs(company, n)
    with django_assert_max_num_queries(4):
        assert (
            client.get(reverse("careers:jobs", args=[company.slug]), {"team": "Platform"}).status_code == 200
        )


@pytest.mark.django_db
@pytest.mark.parametrize("applications", [2, 4])
def test_the_job_page_costs_at_most_four_queries(client, django_assert_max_num_queries, applications):
    job = job_with_loop()
    for _ in range(applications):
        ApplicationFactory(company=job.company, job=job)
    published_job(job.company)
    with django_assert_max_num_queries(4):
        assert client.get(reverse("careers:job", args=[job.company.slug, job.pk])).status_code == 200
