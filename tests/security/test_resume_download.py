"""Résumés: refused in the admin form when not a document, never under a public URL, downloaded only
through the permission-checked view, as an attachment a browser never renders, and logged."""

import importlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.urls import Resolver404, clear_url_caches, resolve, reverse

from hiring.models import AccessLog, Candidate, Role
from tests.hiring import documents as doc
from tests.hiring.factories import ApplicationFactory, CandidateFactory, MembershipFactory, UserFactory
from tests.interviews.factories import InterviewFactory, ScorecardFactory

ROOT = Path(__file__).resolve().parent.parent.parent


def _download_url(candidate) -> str:
    return reverse("admin:hiring_candidate_download_resume", args=[candidate.pk])


def _body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.fixture
def candidate(company, private_root):
    application = ApplicationFactory(company=company, candidate__name="Ada Lovelace")
    application.candidate.resume.save("Ada Lovelace.pdf", ContentFile(doc.PDF), save=True)
    return application.candidate


@pytest.fixture
def panel_interviewer(candidate, interviewer):
    """`interviewer` (of the candidate's company) on the panel of one of the candidate's interviews."""
    application = candidate.applications.get()
    membership = interviewer.memberships.get()
    ScorecardFactory(interview=InterviewFactory(application=application), interviewer=membership)
    return interviewer


# --- the form ----------------------------------------------------------------------------------


def _add_candidate(client, company, resume):
    return client.post(
        reverse("admin:hiring_candidate_add"),
        {
            "company": company.pk,
            "name": "Ada",
            "email": "ada@example.org",
            "source": "other",
            "resume": resume,
            "applications-TOTAL_FORMS": 0,
            "applications-INITIAL_FORMS": 0,
        },
    )


@pytest.mark.parametrize(
    ("name", "content"),
    [("cv.svg", doc.SVG), ("cv.html", doc.HTML), ("cv.js", doc.JS), ("cv.pdf", doc.HTML)],
)
def test_the_candidate_form_refuses_what_is_not_a_document(
    recruiter_client, company, private_root, name, content
):
    response = _add_candidate(recruiter_client, company, doc.upload(name, content, "application/pdf"))
    assert response.status_code == 200
    assert "This file is not accepted" in response.content.decode()
    assert not Candidate.objects.exists()
    assert not private_root.exists() or not any(private_root.rglob("*.*"))


def test_the_candidate_form_refuses_a_file_over_the_size_limit(
    recruiter_client, company, private_root, settings
):
    settings.HIRELOOP_UPLOAD_MAX_MB = 1
    big = doc.PDF + b"0" * (3 * 1024 * 1024 // 2)
    response = _add_candidate(recruiter_client, company, doc.upload("cv.pdf", big))
    assert response.status_code == 200
    assert "This file is 1.5 MB; files may be at most 1 MB." in response.content.decode()
    assert not Candidate.objects.exists()


def test_the_candidate_form_stores_a_document_under_a_random_name(recruiter_client, company, private_root):
    response = _add_candidate(recruiter_client, company, doc.upload("Ada Lovelace.docx", doc.docx()))
    assert response.status_code == 302, response.content.decode()[:3000]
    name = Candidate.objects.get().resume.name
    assert "Ada" not in name and name.endswith(".docx")
    assert (private_root / name).exists()


# --- links -------------------------------------------------------------------------------------


@pytest.mark.parametrize("client_fixture", ["recruiter_client", "manager_client"])
def test_candidate_pages_link_to_the_checked_download(request, candidate, client_fixture):
    # the recruiter's form widget and the hiring manager's read-only field alike
    client = request.getfixturevalue(client_fixture)
    page = client.get(reverse("admin:hiring_candidate_change", args=[candidate.pk])).content.decode()
    assert f'href="{_download_url(candidate)}"' in page
    assert "/media/" not in page
    assert 'accept=".pdf,.docx' in page or client_fixture == "manager_client"


def test_the_interview_page_links_the_panel_to_the_resume(panel_interviewer, candidate, interviewer_client):
    interview = candidate.applications.get().interviews.get()
    page = interviewer_client.get(reverse("admin:interviews_interview_change", args=[interview.pk]))
    assert page.status_code == 200
    assert f'href="{_download_url(candidate)}"' in page.content.decode()


def test_my_interviews_links_the_resume_of_each_upcoming_interview(
    panel_interviewer, candidate, interviewer_client
):
    page = interviewer_client.get(reverse("admin:interviews_interview_my")).content.decode()
    assert f'href="{_download_url(candidate)}"' in page


# --- who may download --------------------------------------------------------------------------


def test_who_may_download_a_resume(
    candidate,
    panel_interviewer,
    company,
    other_company,
    company_admin,
    recruiter,
    hiring_manager,
    superuser,
    other_company_admin,
    other_recruiter,
    admin_client_for,
):
    # an interviewer of the same company on another candidate's interview only
    elsewhere = MembershipFactory(company=company, role=Role.INTERVIEWER, user__username="acme-other").user
    ScorecardFactory(
        interview=InterviewFactory(application=ApplicationFactory(company=company)),
        interviewer=elsewhere.memberships.get(),
    )
    # an interviewer of the company on no interview at all
    idle = MembershipFactory(company=company, role=Role.INTERVIEWER, user__username="acme-idle").user
    # an interviewer of the other company
    other_interviewer = MembershipFactory(
        company=other_company, role=Role.INTERVIEWER, user__username="globex-interviewer"
    ).user
    expected = {
        company_admin: 200,
        recruiter: 200,
        hiring_manager: 200,
        panel_interviewer: 200,
        superuser: 200,
        elsewhere: 404,
        idle: 404,
        other_company_admin: 404,
        other_recruiter: 404,
        other_interviewer: 404,
    }
    seen = {}
    for user in expected:
        response = admin_client_for(user).get(_download_url(candidate))
        seen[user] = response.status_code
        if response.status_code == 200:
            assert _body(response) == doc.PDF
        else:
            assert doc.PDF not in response.content
    assert seen == expected


def test_people_outside_the_admin_are_sent_to_the_login(candidate, client, company):
    outsider = UserFactory(username="acme-not-staff", is_staff=False)
    MembershipFactory(user=outsider, company=company, role=Role.RECRUITER)
    anonymous = client.get(_download_url(candidate))
    client.force_login(outsider)
    not_staff = client.get(_download_url(candidate))
    for response in (anonymous, not_staff):
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("admin:login"))


def test_a_candidate_without_a_file_or_a_missing_file_is_a_404(candidate, recruiter_client, private_root):
    nobody = CandidateFactory(company=candidate.company)
    assert recruiter_client.get(_download_url(nobody)).status_code == 404
    (private_root / candidate.resume.name).unlink()
    assert recruiter_client.get(_download_url(candidate)).status_code == 404
    assert recruiter_client.get("/admin/hiring/candidate/abc/download/resume/").status_code == 404


def test_only_get_downloads(candidate, recruiter_client):
    assert recruiter_client.post(_download_url(candidate)).status_code == 405


# --- the response --------------------------------------------------------------------------------


def _assert_safe_download(response, candidate):
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="ada-lovelace-resume.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "sandbox"
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    assert _body(response) == doc.PDF


def test_the_download_is_an_attachment_the_browser_never_renders(candidate, recruiter_client):
    _assert_safe_download(recruiter_client.get(_download_url(candidate)), candidate)


def test_a_text_file_is_served_as_text_whatever_it_was_named(candidate, recruiter_client):
    candidate.resume.save("cv.html", ContentFile(doc.TEXT.encode()), save=True)
    response = recruiter_client.get(_download_url(candidate))
    assert response["Content-Type"] == "text/plain"
    assert response["Content-Disposition"].endswith('-resume.txt"')


def test_a_file_of_no_accepted_kind_is_served_as_opaque_bytes(candidate, recruiter_client):
    # a file uploaded before types were checked
    candidate.resume.save("cv.svg", ContentFile(doc.SVG), save=True)
    response = recruiter_client.get(_download_url(candidate))
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Security-Policy"] == "sandbox"
    assert response["Content-Disposition"].startswith("attachment;")


def test_the_download_works_under_production_settings(candidate, recruiter, settings, monkeypatch, client):
    monkeypatch.setenv("SECRET_KEY", "p" * 60)
    monkeypatch.setenv("ALLOWED_HOSTS", "testserver")
    production = importlib.import_module("config.settings.production")
    for name in (
        "DEBUG",
        "MIDDLEWARE",
        "SECURE_PROXY_SSL_HEADER",
        "SECURE_SSL_REDIRECT",
        "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_SECURE",
        "SECURE_HSTS_SECONDS",
        "SECURE_CONTENT_TYPE_NOSNIFF",
        "SECURE_REFERRER_POLICY",
        "X_FRAME_OPTIONS",
    ):
        setattr(settings, name, getattr(production, name))
    assert settings.DEBUG is False
    assert "whitenoise.middleware.WhiteNoiseMiddleware" in settings.MIDDLEWARE
    client.force_login(recruiter)
    response = client.get(_download_url(candidate), secure=True)
    _assert_safe_download(response, candidate)
    assert response["Strict-Transport-Security"].startswith("max-age=")


# --- the access log ------------------------------------------------------------------------------


def test_every_download_is_written_to_the_access_log(
    candidate, recruiter, recruiter_client, other_recruiter, admin_client_for
):
    recruiter_client.get(_download_url(candidate))
    recruiter_client.get(_download_url(candidate))
    admin_client_for(other_recruiter).get(_download_url(candidate))  # refused: not logged

    rows = list(
        AccessLog.objects.filter(view="download resume").values_list(
            "user", "username", "company", "object_type", "object_id"
        )
    )
    expected = (recruiter.pk, recruiter.username, candidate.company_id, "hiring.candidate", str(candidate.pk))
    assert rows == [expected, expected]
    assert AccessLog.objects.count() == 2  # the page log adds no second row per download


# --- no public URL ---------------------------------------------------------------------------------


def test_no_url_serves_uploaded_files_even_with_debug_on(candidate, settings, client, recruiter):
    import config.urls

    # given a file under the old media folder and the private file, with DEBUG on (local settings)
    media = Path(settings.MEDIA_ROOT)
    (media / "resumes").mkdir(parents=True, exist_ok=True)
    (media / "resumes" / "old.pdf").write_bytes(doc.PDF)
    settings.DEBUG = True
    importlib.reload(config.urls)
    clear_url_caches()
    try:
        client.force_login(recruiter)
        for path in (f"/media/{candidate.resume.name}", "/media/resumes/old.pdf"):
            with pytest.raises(Resolver404):
                resolve(path)
            assert client.get(path).status_code == 404
    finally:
        settings.DEBUG = False
        importlib.reload(config.urls)
        clear_url_caches()
        (media / "resumes" / "old.pdf").unlink()


PROBE = """
import json, django
django.setup()
from django.conf import settings
from django.urls import Resolver404, resolve
def served(path):
    try:
        resolve(path)
    except Resolver404:
        return False
    return True
print(json.dumps({"debug": settings.DEBUG, "media": served("/media/resumes/x.pdf"),
                  "private": served("/" + settings.HIRELOOP_PRIVATE_ROOT.strip("/") + "/resumes/x.pdf")}))
"""


@pytest.mark.parametrize("module", ["config.settings.local", "config.settings.production"])
def test_no_settings_serve_media(module):
    env = {
        k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE", "DEBUG", "DATABASE_URL"}
    }
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": module,
            "ENV_FILE": "",
            "SECRET_KEY": "s" * 60,
            "ALLOWED_HOSTS": "x.example",
        }
    )
    result = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout.strip().splitlines()[-1])
    assert found["debug"] is (module == "config.settings.local")
    assert found == {**found, "media": False, "private": False}


def test_past_versions_of_a_candidate_link_to_the_checked_download(candidate, recruiter_client):
    version = candidate.history.order_by("-history_id").first()
    url = reverse("admin:hiring_candidate_simple_history", args=[candidate.pk, version.history_id])
    page = recruiter_client.get(url)
    assert page.status_code == 200
    assert f'href="{_download_url(candidate)}"' in page.content.decode()
    assert "/media/" not in page.content.decode()
