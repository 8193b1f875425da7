"""No stored script: markup written into every free-text field never reaches a page as markup.

Every CharField and TextField of every company-data model (found by introspection) is overwritten
with a payload (a tag breaking out of an attribute, a script, an event attribute, a javascript:
link, template syntax); then every admin URL (from the URL patterns: lists, change, history and
delete pages, custom views, the dashboard, notification previews, exports and actions) is fetched
as each role and a superuser. A payload that shows as markup, or template syntax that got
evaluated, is a finding.
"""

import pytest
from django.http import HttpResponse
from django.utils import timezone
from django.utils.safestring import mark_safe

from hiring.models import Membership, Role
from interviews.models import Recommendation, Scorecard, ScorecardStatus
from interviews.notifications.templates import notification_templates_install
from tests.security.dataset import build_company_dataset, company_models
from tests.security.markup import (
    NOT_TEXT,
    PIECES,
    fill_with_payloads,
    free_text_fields,
    payload,
    unescaped_in,
)
from tests.security.walker import AdminWalker, Finding

SHOWN_ESCAPED = b"&lt;img src=x onerror=qzxv"


class MarkupWalker(AdminWalker):
    """The admin walk over the user's own data, looking for the payload as markup."""

    post_forms = False

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.shown: set[str] = set()  # URLs that show the payload, escaped

    def inspect(self, method, url, response, body, *, object_url):
        if SHOWN_ESCAPED in body:
            self.shown.add(url)
        for problem in unescaped_in(response, body):
            self.result.findings.append(Finding(method, url, response.status_code, problem))


# Pages each role must see the data on, escaped (a part of their URL).
READER_PAGES = ("/preview/", "/hiring/application/", "/hiring/candidate/", "/admin/dashboard/")
EXPECTED_PAGES = {
    Role.COMPANY_ADMIN: READER_PAGES,
    Role.RECRUITER: READER_PAGES,
    Role.HIRING_MANAGER: READER_PAGES,
    Role.INTERVIEWER: ("/interviews/interview/my/", "/interviews/scorecard/"),
    "superuser": READER_PAGES,
}


@pytest.fixture
def probed(company):
    """A full dataset for the company, every free-text value replaced by the payload."""
    objects = build_company_dataset(company, marker="Probe")
    notification_templates_install(company=company)  # every event's wording, to preview
    # Submitted scorecards: the score matrix, red flags and the hire-bar verdict's explanations show.
    Scorecard.objects.filter(company=company).update(
        status=ScorecardStatus.SUBMITTED, recommendation=Recommendation.YES, submitted_at=timezone.now()
    )
    written = fill_with_payloads(company.pk)
    return objects, written


def _member(company, role):
    return Membership.objects.get(company=company, role=role, user__username__startswith="probe-").user


@pytest.mark.parametrize("role", [*Role.values, "superuser"])
def test_no_admin_page_shows_markup_from_the_data(role, company, probed, superuser, admin_client_for):
    objects, _written = probed
    user = superuser if role == "superuser" else _member(company, role)
    # when the user requests every URL the admin registers, with the company's own objects
    walker = MarkupWalker(admin_client_for(user), objects, markers=())
    result = walker.walk()
    # then every response shows the payload as text (or not at all), and none fails
    assert result.requests > 100
    assert not result.findings, "\n".join(str(f) for f in result.findings)
    # and the payload did reach the pages that show the data (the walk is not blind)
    expected = EXPECTED_PAGES[role]
    missing = [page for page in expected if not any(page in url for url in walker.shown)]
    assert not missing, f"no escaped payload on {missing}; shown on {sorted(walker.shown)[:20]}"


def test_every_free_text_field_of_the_dataset_gets_the_payload(company, probed):
    objects, written = probed
    expected = {
        f"{model._meta.label}.{field.name}"
        for model in company_models()
        if model in objects
        for field in free_text_fields(model)
    }
    assert expected, "no free-text field found"
    assert expected <= set(written), sorted(expected - set(written))
    assert not set(NOT_TEXT) & set(written)


def test_the_probe_reports_markup_that_is_not_escaped():
    # A page that marks data safe is reported for every piece of the payload.
    raw = payload(None)
    page = HttpResponse(mark_safe(f'<a href="{raw}">{raw}</a>'), content_type="text/html")  # noqa: S308
    problems = unescaped_in(page, page.content.lower())
    assert {"a tag from the data", "a script from the data", "an attribute from the data"} <= set(problems)
    assert "a javascript: link" in problems
    evaluated = HttpResponse(f"{PIECES[4].split('{')[0]}7013", content_type="text/plain")
    assert unescaped_in(evaluated, evaluated.content.lower()) == ["a template from the data was evaluated"]
    # The same payload escaped, in HTML, or raw in a CSV download, is fine.
    from django.utils.html import escape

    safe = HttpResponse(f"<p>{escape(raw)}</p>", content_type="text/html")
    assert unescaped_in(safe, safe.content.lower()) == []
    csv = HttpResponse(raw, content_type="text/csv")
    csv["X-Content-Type-Options"] = "nosniff"
    assert unescaped_in(csv, csv.content.lower()) == []


def test_an_import_preview_shows_markup_from_the_file_as_text(company, recruiter_client):
    # The import preview is a page built from an uploaded file, not from stored rows: probed here.
    import csv
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    from tests.hiring.factories import JobFactory, JobStageFactory

    job = JobFactory(company=company)
    JobStageFactory(job=job, position=0, name="Screen")
    raw = payload(150)

    def upload(rows):
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(["job_id", "email", "name", "phone", "location", "linkedin", "source", "stage"])
        writer.writerows(rows)
        file = SimpleUploadedFile("people.csv", out.getvalue().encode())
        return recruiter_client.post(reverse("admin:hiring_application_import"), {"file": file})

    good = upload([[job.pk, "ada@example.org", raw, "", raw, "", "", ""]])
    bad = upload(
        [[raw, raw, raw, raw, raw, raw, raw, raw], [job.pk, "bob@example.org", "Bob", "", "", "", "", raw]]
    )
    for response in (good, bad):
        assert response.status_code == 200
        body = response.content.lower()
        assert SHOWN_ESCAPED in body  # the file's text is on the page, escaped
        assert unescaped_in(response, body) == []
