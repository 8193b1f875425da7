"""The careers site's application form: success, every bad input, replay, no enumeration, limits."""

import re
from pathlib import Path

import pytest
from django.core import mail
from django.urls import reverse

from hiring.models import Application, ApplicationSubmission, Candidate, JobStatus, Source, StageChange
from tests.careers.apply_helpers import apply_url, form_data, job_to_apply, post, resume, token
from tests.careers.factories import published_job
from tests.hiring import documents as doc
from tests.hiring.factories import CandidateFactory, CompanyFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _private(private_root):
    return private_root


def _files(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def _without_csrf(response) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())


def _nothing_written():
    assert not Candidate.objects.exists()
    assert not Application.objects.exists()
    assert not ApplicationSubmission.objects.exists()


def test_the_form_shows_every_field_the_privacy_notice_and_the_retention_in_words(client):
    job = job_to_apply(title="Backend engineer")
    job.company.privacy_notice = "We keep your data safe.\n\nAsk us to erase it at any time."
    job.company.retention_days = 183
    job.company.save()

    page = client.get(apply_url(job)).content.decode()

    for name in ("name", "email", "phone", "location", "linkedin_url", "github_url", "website_url"):
        assert f'<label for="id_{name}">' in page and f'id="id_{name}"' in page
    assert 'type="file" name="resume"' in page and 'enctype="multipart/form-data"' in page
    assert 'maxlength="200"' in page and 'maxlength="254"' in page
    assert "We keep your data safe." in page and "6 months (183 days)" in page
    assert 'name="consent"' in page and 'class="hp" aria-hidden="true"' in page
    assert "style=" not in page and "<script>" not in page
    job_page = client.get(reverse("careers:job", args=[job.company.slug, job.pk])).content.decode()
    assert apply_url(job) in job_page


def test_applying_creates_the_candidate_and_the_application_at_the_first_stage(
    client, django_capture_on_commit_callbacks
):
    job = job_to_apply(title="Backend engineer")

    with django_capture_on_commit_callbacks(execute=True):
        response = post(client, job, form_data(client, job))

    assert response.status_code == 302
    assert response["Location"] == reverse("careers:apply_done", args=[job.company.slug, job.pk])
    candidate = Candidate.objects.get()
    assert (candidate.company, candidate.name, candidate.email) == (
        job.company,
        "Ada Lovelace",
        "ada@example.org",
    )
    assert candidate.phone == "+33 6 12 34 56 78" and candidate.github_url == "https://github.com/ada"
    assert candidate.source == Source.CAREERS_SITE and candidate.consent_on is not None
    assert candidate.language == "en" and candidate.resume.name.startswith("resumes/")
    application = Application.objects.get()
    assert application.stage.name == "Application review" and application.source == Source.CAREERS_SITE
    change = StageChange.objects.get(application=application)
    assert change.from_stage is None and change.to_stage == application.stage and change.actor is None
    assert ApplicationSubmission.objects.get().application == application
    [email] = mail.outbox
    assert email.to == ["ada@example.org"]
    assert email.subject == "We received your application for Backend engineer"
    assert "We read every application within a week." in email.body
    done = client.get(response["Location"]).content.decode()
    assert "Thank you for applying" in done and "already applied" not in done


def test_a_french_page_stores_the_language_and_sends_the_email_in_french(
    client, django_capture_on_commit_callbacks
):
    job = job_to_apply(title="Développeuse backend")
    data = form_data(client, job)

    page = client.get(apply_url(job), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        post(client, job, data, HTTP_ACCEPT_LANGUAGE="fr")

    assert "Envoyer ma candidature" in page and "Nom complet" in page
    assert Candidate.objects.get().language == "fr"
    [email] = mail.outbox
    assert email.subject == "Nous avons bien reçu votre candidature : Développeuse backend"
    assert "Bonjour Ada Lovelace" in email.body and "Première étape, Application review" in email.body


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"name": ""}, "name", "Enter your name."),
        ({"email": ""}, "email", "Enter your email address."),
        ({"email": "not-an-email"}, "email", "Enter an email address like name@example.com."),
        ({"name": "x" * 201}, "name", "at most 200 characters"),
        ({"phone": "1" * 51}, "phone", "at most 50 characters"),
        ({"github_url": "javascript:alert(1)"}, "github_url", "Enter a full web address"),
        ({"resume": None}, "resume", "Choose your résumé file."),
        ({"consent": None}, "consent", "Tick this box to agree to the privacy notice"),
    ],
)
def test_each_bad_input_gets_its_message_on_its_field_and_nothing_is_written(
    client, private_root, overrides, field, message
):
    job = job_to_apply()

    response = post(client, job, form_data(client, job, **overrides))

    page = response.content.decode()
    assert response.status_code == 200
    assert f'id="id_{field}_error"' in page and message in page
    assert f'href="#id_{field}"' in page  # the summary links to the field
    assert 'aria-invalid="true"' in page
    assert 'id="errors"' in page and "autofocus" in page
    _nothing_written()
    assert _files(private_root) == []


def test_the_error_is_tied_to_its_input(client):
    job = job_to_apply()
    page = post(client, job, form_data(client, job, email="nope")).content.decode()
    tag = page[page.index('id="id_email"') - 200 : page.index('id="id_email"') + 200]
    assert 'aria-describedby="id_email_helptext id_email_error"' in tag and 'aria-invalid="true"' in tag
    assert 'value="Ada Lovelace"' in page  # what was typed is kept


@pytest.mark.parametrize(
    ("content", "name"),
    [(doc.HTML, "cv.pdf"), (doc.SVG, "cv.svg"), (doc.PNG, "cv.png"), (doc.JS, "cv.txt")],
)
def test_a_wrong_file_type_is_refused_and_not_kept(client, private_root, content, name):
    job = job_to_apply()

    page = post(client, job, form_data(client, job, resume=resume(content, name))).content.decode()

    assert "This file is not accepted. Choose a PDF" in page
    _nothing_written()
    assert _files(private_root) == []


def test_a_too_big_file_is_refused(client, settings, private_root):
    settings.HIRELOOP_UPLOAD_MAX_MB = 1
    job = job_to_apply()
    big = doc.PDF + b"0" * (1024 * 1024 + 1)

    page = post(client, job, form_data(client, job, resume=resume(big))).content.decode()

    assert "a résumé may be at most 1 MB" in page
    _nothing_written()
    assert _files(private_root) == []


def test_an_oversize_request_is_answered_413_in_the_careers_look_before_it_is_read(client, settings):
    settings.HIRELOOP_APPLY_MAX_REQUEST_MB = 1
    job = job_to_apply()
    data = form_data(client, job, resume=resume(doc.PDF + b"0" * (1024 * 1024 + 10)))

    response = post(client, job, data, HTTP_ACCEPT_LANGUAGE="fr")

    page = response.content.decode()
    assert response.status_code == 413
    assert "Trop de données envoyées" in page and f"Carrières chez {job.company.name}" in page
    _nothing_written()


def test_a_filled_honeypot_looks_like_success_and_writes_nothing(client, django_capture_on_commit_callbacks):
    job = job_to_apply()

    with django_capture_on_commit_callbacks(execute=True):
        response = post(client, job, form_data(client, job, homepage="https://spam.example"))

    assert response.status_code == 302
    assert response["Location"] == reverse("careers:apply_done", args=[job.company.slug, job.pk])
    _nothing_written()
    assert mail.outbox == []


def test_a_forged_or_another_jobs_submission_key_is_refused(client):
    job = job_to_apply()
    other = job_to_apply(job.company)

    forged = post(client, job, form_data(client, job, submission="abc:def")).content.decode()
    crossed = post(client, job, form_data(client, job, submission=token(client, other))).content.decode()

    for page in (forged, crossed):
        assert "This form has expired" in page
    _nothing_written()


def test_a_replayed_post_creates_nothing_more_and_says_already_applied(
    client, django_capture_on_commit_callbacks
):
    job = job_to_apply()
    data = form_data(client, job)
    with django_capture_on_commit_callbacks(execute=True):
        post(client, job, data)
    data["resume"] = resume()

    with django_capture_on_commit_callbacks(execute=True):
        replay = post(client, job, data)

    assert replay.status_code == 200
    assert "You have already applied to this job" in replay.content.decode()
    assert Application.objects.count() == 1 and Candidate.objects.count() == 1
    assert ApplicationSubmission.objects.count() == 1 and len(mail.outbox) == 1


def test_a_known_email_gets_the_same_answer_as_a_new_one_and_nothing_wrong_is_written(
    client, django_capture_on_commit_callbacks
):
    job = job_to_apply()
    fresh = post(client, job, form_data(client, job, email="new@example.org"))
    # the same address, in other case, from another submission: no second application, same answer
    with django_capture_on_commit_callbacks(execute=True):
        known = post(client, job, form_data(client, job, email="NEW@example.org", name="Someone Else"))

    assert (known.status_code, known["Location"]) == (fresh.status_code, fresh["Location"])
    assert _without_csrf(client.get(known["Location"])) == _without_csrf(client.get(fresh["Location"]))
    candidate = Candidate.objects.get()
    assert candidate.name == "Ada Lovelace" and Application.objects.count() == 1
    assert mail.outbox == []


def test_an_existing_candidate_is_reused_and_filled_only_where_empty(
    client, django_capture_on_commit_callbacks
):
    job = job_to_apply()
    existing = CandidateFactory(
        company=job.company, name="Ada L.", email="Ada@Example.org", phone="+44 1", location="", github_url=""
    )

    with django_capture_on_commit_callbacks(execute=True):
        post(client, job, form_data(client, job, name="Ada Lovelace", phone="+33 9", location="Lyon"))

    existing.refresh_from_db()
    assert Candidate.objects.count() == 1
    assert (existing.name, existing.email, existing.phone) == ("Ada L.", "Ada@Example.org", "+44 1")
    assert existing.location == "Lyon" and existing.github_url == "https://github.com/ada"
    assert existing.resume and existing.consent_on is not None
    assert Application.objects.get().candidate == existing


def test_a_candidate_of_another_company_is_not_touched(client):
    job = job_to_apply()
    theirs = CandidateFactory(company=CompanyFactory(), email="ada@example.org", location="")

    post(client, job, form_data(client, job))

    theirs.refresh_from_db()
    assert theirs.location == "" and not theirs.applications.exists()
    assert Candidate.objects.filter(company=job.company).count() == 1


def test_posts_are_limited_per_email(client, settings):
    settings.HIRELOOP_RATE_LIMITS = {**settings.HIRELOOP_RATE_LIMITS, "apply": "2/h"}
    job = job_to_apply()
    for n in range(2):
        post(client, job, form_data(client, job, email="Ada@example.org"), REMOTE_ADDR=f"10.0.0.{n}")

    # the same email (in another case) from a third address
    refused = post(client, job, form_data(client, job, email="ada@EXAMPLE.org"), REMOTE_ADDR="10.0.0.9")
    another = post(client, job, form_data(client, job, email="bob@example.org"), REMOTE_ADDR="10.0.0.8")

    assert refused.status_code == 429 and "Too many attempts" in refused.content.decode()
    assert another.status_code == 302


def test_posts_are_limited_per_address(client, settings):
    settings.HIRELOOP_RATE_LIMITS = {**settings.HIRELOOP_RATE_LIMITS, "apply": "2/h"}
    job = job_to_apply()
    for n in range(2):
        post(client, job, form_data(client, job, email=f"p{n}@example.org"))

    refused = post(client, job, form_data(client, job, email="p9@example.org"), HTTP_ACCEPT_LANGUAGE="fr")

    assert refused.status_code == 429 and refused["Retry-After"]
    assert "Trop de tentatives" in refused.content.decode()
    assert not Candidate.objects.filter(email="p9@example.org").exists()


@pytest.mark.parametrize(
    "fields",
    [{"status": JobStatus.DRAFT}, {"status": JobStatus.CLOSED}, {"is_published": False}],
)
def test_a_draft_closed_or_unpublished_job_answers_404(client, fields):
    job = job_to_apply(**fields)
    assert client.get(apply_url(job)).status_code == 404
    assert client.post(apply_url(job), {}).status_code == 404


def test_an_unknown_company_and_another_companys_job_answer_404(client):
    job = job_to_apply()
    mine = published_job()
    assert client.get(apply_url(job, slug="nobody")).status_code == 404
    assert client.get(apply_url(job, slug=mine.company.slug)).status_code == 404
    data = form_data(client, job)
    assert client.post(apply_url(job, slug=mine.company.slug), data).status_code == 404
    _nothing_written()


@pytest.mark.parametrize("applications", [1, 4])
def test_the_form_page_costs_the_same_queries_whatever_the_applications(
    client, django_assert_num_queries, applications
):
    job = job_to_apply()
    for n in range(applications):
        post(client, job, form_data(client, job, email=f"a{n}@example.org"))
    with django_assert_num_queries(2):  # the job with its company, its (no) questions
        assert client.get(apply_url(job)).status_code == 200
