"""Importing candidates and applications from CSV/XLSX, and exporting the application list."""

import csv
import io

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DatabaseError
from django.urls import reverse
from openpyxl import Workbook

from hiring import imports
from hiring.imports import ImportRefused, applications_import, import_file_read
from hiring.models import Application, Candidate, JobStatus, Role, StageChange
from hiring.services import application_create
from tests.hiring.factories import CandidateFactory, JobFactory, JobStageFactory, MembershipFactory

IMPORT = reverse("admin:hiring_application_import")
EXPORT = reverse("admin:hiring_application_export")
HEADER = "job_id,email,name,phone,location,linkedin,source,stage\n"


def make_job(company, title="Backend engineer", **kwargs):
    job = JobFactory(company=company, title=title, **kwargs)
    for i, name in enumerate(("Screen", "Technical", "Offer")):
        JobStageFactory(job=job, position=i, name=name)
    return job


@pytest.fixture
def job(company):
    return make_job(company)


@pytest.fixture
def other_job(other_company):
    return make_job(other_company, title="Globex job")


def nothing_written():
    return (
        not Candidate.objects.exists()
        and not Application.objects.exists()
        and not StageChange.objects.exists()
    )


def upload(client, content: bytes, name="people.csv"):
    return client.post(IMPORT, {"file": SimpleUploadedFile(name, content)})


def xlsx(rows):
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# --- The service ------------------------------------------------------------------------------


def test_good_file_creates_candidates_and_applications(job, company, recruiter):
    text = HEADER + (
        f"{job.pk},ada@example.org,Ada Lovelace,+44 1,London,https://linkedin.com/in/ada,referral,\n"
        f"{job.pk},grace@example.org,Grace Hopper,,,,LinkedIn,Technical\n"
    )
    rows = import_file_read(content=text.encode(), file_name="x.csv")
    report = applications_import(rows=rows, company_ids=[company.pk], actor=recruiter)
    assert report.ok and report.written
    assert (report.candidates_created, report.applications_created) == (2, 2)
    ada = Candidate.objects.get(email="ada@example.org")
    assert (
        ada.company == company
        and ada.linkedin_url == "https://linkedin.com/in/ada"
        and ada.source == "referral"
    )
    grace_app = Application.objects.get(candidate__email="grace@example.org")
    assert grace_app.stage.name == "Technical" and grace_app.source == "linkedin"
    assert StageChange.objects.filter(note="Imported.", actor=recruiter).count() == 2
    assert ada.history.first().history_user == recruiter


def test_known_email_updates_the_candidate(job, company, recruiter):
    known = CandidateFactory(company=company, email="Ada@Example.org", name="A. Lovelace", phone="1")
    text = HEADER + f"{job.pk},ada@example.org,Ada Lovelace,,Paris,,,\n"
    report = applications_import(
        rows=import_file_read(content=text.encode(), file_name="x.csv"),
        company_ids=[company.pk],
        actor=recruiter,
    )
    assert (report.candidates_created, report.candidates_updated, report.applications_created) == (0, 1, 1)
    known.refresh_from_db()
    assert (known.name, known.location, known.phone) == ("Ada Lovelace", "Paris", "1")
    assert Candidate.objects.count() == 1


def test_reimport_keeps_existing_applications(job, company, recruiter):
    text = (HEADER + f"{job.pk},ada@example.org,Ada,,,,,\n").encode()
    applications_import(rows=import_file_read(content=text, file_name="x.csv"), company_ids=[company.pk])
    report = applications_import(
        rows=import_file_read(content=text, file_name="x.csv"), company_ids=[company.pk]
    )
    assert report.ok and report.applications_existing == 1 and report.applications_created == 0
    assert Application.objects.count() == 1


def test_job_by_title_and_xlsx(job, company):
    content = xlsx([["Job title", "E-mail", "Full name"], ["backend engineer", "ada@example.org", "Ada"]])
    report = applications_import(
        rows=import_file_read(content=content, file_name="x.xlsx"), company_ids=[company.pk]
    )
    assert report.ok and Application.objects.get().job == job


def test_dry_run_writes_nothing(job, company):
    text = (HEADER + f"{job.pk},ada@example.org,Ada,,,,,\n").encode()
    report = applications_import(
        rows=import_file_read(content=text, file_name="x.csv"), company_ids=[company.pk], dry_run=True
    )
    assert report.ok and report.applications_created == 1 and not report.written
    assert nothing_written()


BAD_ROWS = {
    "malformed email": "{job},not-an-email,Ada,,,,,\n",
    "unknown job": "999999,ada@example.org,Ada,,,,,\n",
    "job of another company": "{other_job},ada@example.org,Ada,,,,,\n",
    "stage of another job": "{job},ada@example.org,Ada,,,,,Globex only stage\n",
    "missing name": "{job},ada@example.org,,,,,,\n",
    "unknown source": "{job},ada@example.org,Ada,,,,carrier pigeon,\n",
    "bad link": "{job},ada@example.org,Ada,,,not a url,,\n",
}


@pytest.mark.parametrize("case", BAD_ROWS)
def test_one_bad_row_writes_nothing(case, job, other_job, company):
    other_job.stages.filter(position=0).update(name="Globex only stage")
    good = f"{job.pk},grace@example.org,Grace,,,,,\n"
    text = HEADER + good + BAD_ROWS[case].format(job=job.pk, other_job=other_job.pk)
    report = applications_import(
        rows=import_file_read(content=text.encode(), file_name="x.csv"), company_ids=[company.pk]
    )
    assert not report.ok and not report.written
    assert [e.line for e in report.errors] == [3]
    assert nothing_written()


def test_closed_job_and_duplicate_rows_are_refused(job, company):
    closed = make_job(company, title="Closed", status=JobStatus.CLOSED)
    text = (
        HEADER
        + f"{closed.pk},a@example.org,A,,,,,\n{job.pk},b@example.org,B,,,,,\n{job.pk},B@example.org,B,,,,,\n"
    )
    report = applications_import(
        rows=import_file_read(content=text.encode(), file_name="x.csv"), company_ids=[company.pk]
    )
    messages = [(e.line, e.message) for e in report.errors]
    assert messages[0][0] == 2 and "closed" in messages[0][1]
    assert messages[1][0] == 4 and "line 3" in messages[1][1]
    assert nothing_written()


@pytest.mark.parametrize(
    "content,name,message",
    [
        (b"", "x.csv", "empty"),
        (b"   \n", "x.csv", "empty"),
        (b"job_id,email,name\n", "x.csv", "no rows"),
        ("job_id,email,name\n1,zoë@example.org,Zoë\n".encode("latin-1"), "x.csv", "not UTF-8"),
        (b"email,name\nada@example.org,Ada\n", "x.csv", "Missing columns: job_id or job_title"),
        (b"job_id,name\n1,Ada\n", "x.csv", "Missing columns: email"),
        (b"not a workbook", "x.xlsx", "XLSX"),
        (b"job_id,email,name\n1,a@example.org,A\n", "x.pdf", ".csv"),
    ],
)
def test_bad_files_are_refused(content, name, message):
    with pytest.raises(ImportRefused, match=message):
        import_file_read(content=content, file_name=name)


def test_file_over_the_row_limit_is_refused_up_front(job, company, settings, django_assert_num_queries):
    settings.HIRELOOP_IMPORT_MAX_ROWS = 5000
    text = HEADER + "".join(f"{job.pk},c{i}@example.org,C {i},,,,,\n" for i in range(10_000))
    with django_assert_num_queries(0), pytest.raises(ImportRefused, match="10000 rows; at most 5000"):
        import_file_read(content=text.encode(), file_name="x.csv")
    assert nothing_written()


def test_raised_limit_imports_in_batches(job, company, settings, django_assert_max_num_queries):
    settings.HIRELOOP_IMPORT_MAX_ROWS = 3000
    text = HEADER + "".join(f"{job.pk},c{i}@example.org,C {i},,,,,\n" for i in range(2500))
    rows = import_file_read(content=text.encode(), file_name="x.csv")
    # batched: far fewer queries than rows (SQLite caps the rows per insert lower than PostgreSQL)
    with django_assert_max_num_queries(250):
        report = applications_import(rows=rows, company_ids=[company.pk])
    assert report.applications_created == 2500 and Application.objects.count() == 2500
    assert StageChange.objects.count() == 2500


def test_bad_row_after_the_first_chunk_writes_nothing(job, company, settings):
    # given a file longer than one chunk whose only bad row comes after the first chunk
    rows = imports.CHUNK + 50
    settings.HIRELOOP_IMPORT_MAX_ROWS = rows
    good = "".join(f"{job.pk},c{i}@example.org,C {i},,,,,\n" for i in range(rows - 1))
    text = HEADER + good + f"{job.pk},not-an-email,Bad,,,,,\n"

    report = applications_import(
        rows=import_file_read(content=text.encode(), file_name="x.csv"), company_ids=[company.pk]
    )

    # then the row is named with its line and nothing is written
    assert not report.written and [e.line for e in report.errors] == [rows + 1]
    assert nothing_written()


def test_failure_while_writing_a_later_chunk_leaves_nothing_behind(job, company, monkeypatch):
    # given a write that fails in the second chunk, after the first chunk was written
    monkeypatch.setattr(imports, "CHUNK", 3)
    real_create, calls = imports.import_rows_create, []

    def failing_create(model, rows, **kwargs):
        calls.append(model)
        if calls.count(Application) == 2:
            raise DatabaseError("connection lost")
        return real_create(model, rows, **kwargs)

    monkeypatch.setattr(imports, "import_rows_create", failing_create)
    text = HEADER + "".join(f"{job.pk},c{i}@example.org,C {i},,,,,\n" for i in range(5))

    with pytest.raises(DatabaseError):
        applications_import(
            rows=import_file_read(content=text.encode(), file_name="x.csv"), company_ids=[company.pk]
        )

    # then the first chunk's rows were rolled back with the rest
    assert calls.count(Candidate) == 2 and nothing_written()


def test_candidate_on_rows_of_different_chunks_is_created_once(job, company, recruiter, monkeypatch):
    # given one candidate on the first row and, two chunks later, for another job with a phone
    monkeypatch.setattr(imports, "CHUNK", 2)
    other = make_job(company, title="Data engineer")
    others = "".join(f"{job.pk},c{i}@example.org,C {i},,,,,\n" for i in range(4))
    text = (
        HEADER
        + f"{job.pk},ada@example.org,Ada,,Paris,,,\n"
        + others
        + f"{other.pk},ADA@example.org,Ada Lovelace,+44 1,,,referral,\n"
    )

    report = applications_import(
        rows=import_file_read(content=text.encode(), file_name="x.csv"),
        company_ids=[company.pk],
        actor=recruiter,
    )

    # then one candidate with the last non-empty values, two applications, one creation in history
    assert (report.candidates_created, report.candidates_updated, report.applications_created) == (5, 0, 6)
    ada = Candidate.objects.get(email="ada@example.org")
    assert (ada.name, ada.phone, ada.location, ada.source) == ("Ada Lovelace", "+44 1", "Paris", "referral")
    assert ada.applications.count() == 2
    assert [h.history_type for h in ada.history.all()] == ["+"]
    assert [a.history.get().history_user for a in ada.applications.all()] == [recruiter, recruiter]
    assert (
        StageChange.objects.filter(application__candidate=ada, note="Imported.", actor=recruiter).count() == 2
    )


def test_rows_are_read_lazily_with_their_line_numbers(job):
    text = HEADER + f"{job.pk},a@example.org,A,,,,,\n\n,,,,,,,\n{job.pk},b@example.org,B,,,,,\n"

    rows = import_file_read(content=text.encode(), file_name="x.csv")

    # blank lines are no rows, but keep the line numbers of the file
    assert len(rows) == 2
    assert [r["email"] for r in rows[:5]] == ["a@example.org", "b@example.org"]
    assert [line for line, _ in rows.numbered()] == [2, 5]
    assert rows[1]["name"] == "B"
    with pytest.raises(IndexError):
        rows[2]


# --- Through the admin ------------------------------------------------------------------------


def test_admin_preview_then_confirm(recruiter_client, job):
    content = (HEADER + f"{job.pk},ada@example.org,Ada Lovelace,,,,,\n").encode()
    response = upload(recruiter_client, content)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Preview: nothing has been written yet" in html and "Ada Lovelace" in html
    assert nothing_written()
    token = response.context["token"]
    response = recruiter_client.post(IMPORT, {"token": token})
    assert response.status_code == 302
    assert "Imported." in " ".join(str(m) for m in get_messages(response.wsgi_request))
    assert Application.objects.get().candidate.name == "Ada Lovelace"


def test_admin_preview_shows_row_errors_and_offers_no_import(recruiter_client, job, other_job):
    content = (
        HEADER + f"{job.pk},ada@example.org,Ada,,,,,\n{other_job.pk},bob@example.org,Bob,,,,,\n"
    ).encode()
    response = upload(recruiter_client, content)
    html = response.content.decode()
    assert "row-error" in html and "unknown job" in html and 'name="token"' not in html
    assert nothing_written()


def test_admin_refuses_bad_files_with_a_message(recruiter_client):
    response = upload(recruiter_client, "job_id,email,name\n1,zoë@x.org,Zoë\n".encode("latin-1"))
    assert "not UTF-8" in response.content.decode()
    response = upload(recruiter_client, b"", name="empty.csv")
    assert response.status_code == 200
    assert nothing_written()


def test_admin_xlsx_upload(recruiter_client, job):
    content = xlsx([["job_id", "email", "name"], [job.pk, "ada@example.org", "Ada"]])
    response = upload(recruiter_client, content, name="people.xlsx")
    assert response.context["report"].ok
    recruiter_client.post(IMPORT, {"token": response.context["token"]})
    assert Application.objects.count() == 1


def test_admin_import_of_another_companys_job_is_refused(recruiter_client, other_job):
    response = upload(recruiter_client, (HEADER + f"{other_job.pk},ada@example.org,Ada,,,,,\n").encode())
    assert "unknown job" in response.content.decode()
    assert nothing_written()


def test_import_token_is_personal(recruiter_client, admin_client_for, company, job):
    response = upload(recruiter_client, (HEADER + f"{job.pk},ada@example.org,Ada,,,,,\n").encode())
    someone = MembershipFactory(company=company, role=Role.RECRUITER).user
    response = admin_client_for(someone).post(IMPORT, {"token": response.context["token"]})
    assert response.status_code == 403
    assert recruiter_client.post(IMPORT, {"token": "forged"}).status_code == 403
    assert nothing_written()


@pytest.mark.parametrize("role", [Role.HIRING_MANAGER, Role.INTERVIEWER])
def test_import_needs_a_recruiting_role(admin_client_for, company, role):
    user = MembershipFactory(company=company, role=role).user
    assert admin_client_for(user).get(IMPORT).status_code == 403


# --- Export -----------------------------------------------------------------------------------


def export_rows(client, query=""):
    response = client.get(EXPORT + query)
    assert response.status_code == 200
    assert response.streaming
    text = b"".join(response.streaming_content).decode()
    return list(csv.DictReader(io.StringIO(text)))


def test_export_is_the_filtered_list_of_own_company(recruiter_client, recruiter, company, job, other_job):
    second = make_job(company, title="Data engineer")
    for j, email in ((job, "ada@example.org"), (second, "grace@example.org"), (other_job, "bob@example.org")):
        application_create(
            candidate=CandidateFactory(company=j.company, email=email), job=j, source="other", actor=recruiter
        )
    rows = export_rows(recruiter_client)
    assert sorted(r["candidate_email"] for r in rows) == ["ada@example.org", "grace@example.org"]
    assert list(rows[0].keys())[:3] == ["application_id", "candidate_name", "candidate_email"]
    rows = export_rows(recruiter_client, f"?job={second.pk}")
    assert [r["candidate_email"] for r in rows] == ["grace@example.org"]
    rows = export_rows(recruiter_client, f"?job={other_job.pk}")
    assert rows == []


def test_export_quotes_formula_cells(recruiter_client, recruiter, company, job):
    candidate = CandidateFactory(company=company, name="=HYPERLINK(1)")
    application_create(candidate=candidate, job=job, source="other", actor=recruiter)
    assert export_rows(recruiter_client)[0]["candidate_name"] == "'=HYPERLINK(1)"


def test_export_only_for_admins_and_recruiters(company_admin_client, manager_client, interviewer_client, job):
    assert company_admin_client.get(EXPORT).status_code == 200
    assert manager_client.get(EXPORT).status_code == 403
    assert interviewer_client.get(EXPORT).status_code == 403


def test_manager_here_and_recruiter_there_exports_only_there(
    admin_client_for, company, other_company, job, other_job
):
    user = MembershipFactory(company=company, role=Role.HIRING_MANAGER).user
    MembershipFactory(user=user, company=other_company, role=Role.RECRUITER)
    for j in (job, other_job):
        application_create(candidate=CandidateFactory(company=j.company), job=j, source="other", actor=None)
    rows = export_rows(admin_client_for(user))
    assert [r["job_title"] for r in rows] == ["Globex job"]


def test_export_link_on_the_list_keeps_the_filters(recruiter_client, manager_client, job):
    html = recruiter_client.get(
        reverse("admin:hiring_application_changelist") + f"?job={job.pk}"
    ).content.decode()
    assert f"{EXPORT}?job={job.pk}" in html and IMPORT in html
    html = manager_client.get(reverse("admin:hiring_application_changelist")).content.decode()
    assert EXPORT not in html and IMPORT not in html


def test_admin_refuses_a_file_over_the_limit(recruiter_client, job, settings):
    settings.HIRELOOP_IMPORT_MAX_ROWS = 50
    content = (HEADER + "".join(f"{job.pk},c{i}@example.org,C,,,,,\n" for i in range(51))).encode()
    response = upload(recruiter_client, content)
    assert "51 rows; at most 50" in response.content.decode()
    assert nothing_written()


def test_export_with_a_bad_filter_redirects(recruiter_client):
    response = recruiter_client.get(EXPORT + "?nonsense__field=1")
    assert response.status_code == 302


@pytest.mark.parametrize("case", BAD_ROWS)
def test_admin_bad_row_is_listed_and_nothing_is_written(case, recruiter_client, job, other_job):
    other_job.stages.filter(position=0).update(name="Globex only stage")
    text = (
        HEADER
        + f"{job.pk},grace@example.org,Grace,,,,,\n"
        + BAD_ROWS[case].format(job=job.pk, other_job=other_job.pk)
    )
    response = upload(recruiter_client, text.encode())
    report = response.context["report"]
    assert [e.line for e in report.errors] == [3]
    assert 'name="token"' not in response.content.decode()
    assert nothing_written()


@pytest.mark.parametrize(
    "content,name,message",
    [
        (b"", "x.csv", "empty"),
        (b"email,name\nada@example.org,Ada\n", "x.csv", "Missing columns"),
        ("job_id,email,name\n1,zoë@example.org,Zoë\n".encode("latin-1"), "x.csv", "not UTF-8"),
        (b"not a workbook", "x.xlsx", "XLSX"),
    ],
)
def test_admin_bad_files_are_refused_with_a_message(recruiter_client, content, name, message):
    response = upload(recruiter_client, content, name=name)
    assert response.status_code == 200 and message in response.content.decode()
    assert nothing_written()
