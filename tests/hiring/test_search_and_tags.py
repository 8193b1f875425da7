"""Search that finds people (any word of a name, the start of a word, an email or its start, a
tag, a résumé word on PostgreSQL) and tags as the company's own objects: scoping, the filter, the
bulk actions and their cap, erasure, import and export."""

import csv
import io

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse

from hiring.models import Application, Candidate, ResumeText, Tag
from hiring.privacy import candidate_erase
from hiring.resume_text import candidate_resume_text_refresh, resume_text_extract
from hiring.search import people_filter, people_matching
from hiring.tagging import tag_names_for, tags_apply
from tests.hiring.factories import (
    ApplicationFactory,
    CandidateFactory,
    JobFactory,
    JobStageFactory,
    TagFactory,
)

pytestmark = pytest.mark.django_db
on_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="full-text search needs PostgreSQL"
)
APPLICATIONS = reverse("admin:hiring_application_changelist")
CANDIDATES = reverse("admin:hiring_candidate_changelist")


def _found(term):
    people = people_matching(term)
    return (
        set(Candidate.objects.filter(pk__in=people).values_list("name", flat=True))
        if people is not None
        else set()
    )


def _listed(client, url, **params):
    response = client.get(url, params)
    assert response.status_code == 200
    return response


def _names(response):
    return {getattr(row, "candidate", row).name for row in response.context["cl"].result_list}


# --- Search ---------------------------------------------------------------------------------------


def test_a_surname_the_start_of_a_word_and_several_words_find_the_person(company):
    CandidateFactory(company=company, name="Sabas Soria", email="s.s@example.org")
    CandidateFactory(company=company, name="Soraya Diaz", email="sd@example.org")
    CandidateFactory(company=company, name="Ana Lopez", email="ana@example.org")
    assert _found("Soria") == {"Sabas Soria"}
    assert _found("sor") == {"Sabas Soria", "Soraya Diaz"}
    assert _found("SABAS sor") == {"Sabas Soria"}
    assert _found("Sabas") == {"Sabas Soria"}
    # not the middle of a word, and every word must match
    assert _found("oria") == set()
    assert _found("ana soria") == set()


def test_an_email_or_its_start_finds_the_person(company):
    CandidateFactory(company=company, name="Grace Hopper", email="grace@example.org")
    CandidateFactory(company=company, name="Alan Turing", email="alan@example.org")
    assert _found("GRACE@example.org") == {"Grace Hopper"}
    assert _found("grace@exa") == {"Grace Hopper"}
    assert _found("grace@example.org.uk") == set()
    assert _found("alan@") == {"Alan Turing"}


def test_a_tag_finds_the_people_it_labels_in_the_lists(company, recruiter_client):
    python = TagFactory(company=company, name="Python")
    tagged = CandidateFactory(company=company, name="Ada Lovelace")
    tagged.tags.add(python)
    CandidateFactory(company=company, name="Charles Babbage")
    job = JobFactory(company=company)
    stage = JobStageFactory(job=job)
    ApplicationFactory(company=company, job=job, stage=stage, candidate=tagged)
    assert _found("pyth") == {"Ada Lovelace"}
    assert _names(_listed(recruiter_client, APPLICATIONS, q="python")) == {"Ada Lovelace"}
    assert _names(_listed(recruiter_client, CANDIDATES, q="python")) == {"Ada Lovelace"}


def test_the_application_list_and_the_autocomplete_find_a_surname(company, recruiter_client):
    job = JobFactory(company=company)
    stage = JobStageFactory(job=job)
    for name in ("Sabas Soria", "Nadia Okafor"):
        ApplicationFactory(
            company=company, job=job, stage=stage, candidate__company=company, candidate__name=name
        )
    assert _names(_listed(recruiter_client, APPLICATIONS, q="soria")) == {"Sabas Soria"}
    response = recruiter_client.get(
        "/admin/autocomplete/",
        {"app_label": "hiring", "model_name": "application", "field_name": "candidate", "term": "okaf"},
    )
    assert [r["text"] for r in response.json()["results"]] == ["Nadia Okafor"]


def test_search_never_lists_another_companys_people(company, other_company, recruiter_client):
    job = JobFactory(company=other_company)
    stage = JobStageFactory(job=job)
    ApplicationFactory(
        company=other_company,
        job=job,
        stage=stage,
        candidate__company=other_company,
        candidate__name="Sabas Soria",
    )
    assert _names(_listed(recruiter_client, APPLICATIONS, q="soria")) == set()
    assert _names(_listed(recruiter_client, CANDIDATES, q="soria")) == set()


@on_postgres
@pytest.mark.postgres
def test_a_word_of_the_resume_finds_the_person_on_postgresql(company, recruiter_client):
    ada = CandidateFactory(company=company, name="Ada Lovelace")
    ResumeText.objects.create(
        candidate=ada, text="Analytical engine programmer; Bernoulli numbers", extracted_at=ada.created_at
    )
    CandidateFactory(company=company, name="Charles Babbage")
    assert _found("bernoulli") == {"Ada Lovelace"}
    assert _found("analyt") == {"Ada Lovelace"}
    assert _names(_listed(recruiter_client, CANDIDATES, q="bernoulli")) == {"Ada Lovelace"}


def _plan(sql, params):
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE hiring_candidate")
        cursor.execute("ANALYZE hiring_resumetext")
        cursor.execute("ANALYZE hiring_application")
        cursor.execute("ANALYZE hiring_candidate_tags")
        cursor.execute("ANALYZE hiring_tag")
        cursor.execute(f"EXPLAIN {sql}", params)
        return "\n".join(row[0] for row in cursor.fetchall())


@on_postgres
@pytest.mark.postgres
@pytest.mark.parametrize("term", ["soria", "sor", "bernoulli", "python"])
def test_search_of_the_application_list_reads_no_big_table_whole_on_postgresql(company, term):
    # given enough people that a sequential scan would be the planner's choice without the indexes
    job = JobFactory(company=company)
    stage = JobStageFactory(job=job)
    people = Candidate.objects.bulk_create(
        Candidate(company=company, name=f"Person {i:05d} Example", email=f"p{i}@example.org")
        for i in range(4000)
    )
    Application.objects.bulk_create(
        Application(
            company=company,
            candidate=c,
            job=job,
            stage=stage,
            applied_at=c.created_at,
            stage_entered_at=c.created_at,
        )
        for c in people
    )
    ResumeText.objects.bulk_create(
        ResumeText(candidate=c, company=company, text="backend engineer", extracted_at=c.created_at)
        for c in people[:2000]
    )
    TagFactory(company=company, name="Python").candidates.add(people[0])
    TagFactory(company=company, name="Backend").candidates.add(*people[:3000])
    sabas = CandidateFactory(company=company, name="Sabas Soria")
    ResumeText.objects.create(candidate=sabas, text="Bernoulli", extracted_at=sabas.created_at)
    queryset = (
        Application.objects.filter(people_filter("candidate_id", term))
        .select_related("candidate", "job", "stage")
        .order_by("-applied_at")[:50]
    )
    # when the planner plans it (sequential scans at their usual cost)
    plan = _plan(*queryset.query.sql_with_params())
    # then no big table is read whole, and the full-text indexes answer
    for table in ("hiring_application", "hiring_candidate", "hiring_resumetext", "hiring_candidate_tags"):
        assert f"Seq Scan on {table} " not in plan + " ", plan
    assert "candidate_search_words" in plan and "resumetext_search_words" in plan, plan


# --- Résumé text -----------------------------------------------------------------------------------


def _pdf(text: str) -> bytes:
    stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


def _docx(text: str) -> bytes:
    from docx import Document

    document = Document()
    document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_the_words_of_a_pdf_and_a_docx_are_read():
    assert "Kowalczyk" in resume_text_extract(_pdf("Marta Kowalczyk, Erlang developer"), "pdf")
    assert "Fortran" in resume_text_extract(_docx("Twenty years of Fortran and COBOL"), "docx")
    assert resume_text_extract(b"{\\rtf1 words}", "rtf") == ""


def test_the_text_is_read_at_upload_and_bounded_and_a_broken_file_still_uploads(
    company, company_admin_client, private_root, settings
):
    candidate = CandidateFactory(company=company, name="Marta Kowalczyk")
    change = reverse("admin:hiring_candidate_change", args=[candidate.pk])
    data = {
        "name": candidate.name,
        "email": candidate.email,
        "source": candidate.source,
        "resume": SimpleUploadedFile("cv.docx", _docx("Erlang " * 30_000)),
        "applications-TOTAL_FORMS": "0",
        "applications-INITIAL_FORMS": "0",
    }
    response = company_admin_client.post(change, data)
    assert response.status_code == 302, response.context and response.context["adminform"].form.errors
    text = ResumeText.objects.get(candidate=candidate).text
    assert text.startswith("Erlang Erlang") and len(text) == 100_000
    # a PDF that no reader understands is stored all the same, with no words
    broken = b"%PDF-1.4\n% not really a PDF\n%%EOF\n"
    data["resume"] = SimpleUploadedFile("cv.pdf", broken)
    assert company_admin_client.post(change, data).status_code == 302
    candidate.refresh_from_db()
    assert candidate.resume and ResumeText.objects.get(candidate=candidate).text == ""


def test_the_resume_text_is_erased_with_the_candidate(company, recruiter, private_root):
    candidate = CandidateFactory(
        company=company, resume=SimpleUploadedFile("cv.docx", _docx("Erlang developer"))
    )
    candidate_resume_text_refresh(candidate=candidate)
    assert ResumeText.objects.get(candidate=candidate).text == "Erlang developer"
    candidate_erase(candidate=candidate, actor=recruiter)
    assert ResumeText.objects.get(candidate=candidate).text == ""


# --- Tags ------------------------------------------------------------------------------------------


def test_tag_names_are_unique_per_company_whatever_the_case(company, other_company):
    from django.db import IntegrityError, transaction

    TagFactory(company=company, name="Python")
    TagFactory(company=other_company, name="python")  # another company's: fine
    with pytest.raises(IntegrityError), transaction.atomic():
        TagFactory(company=company, name="PYTHON")


def test_a_tag_of_another_company_is_never_offered_filtered_or_applied(
    company, other_company, recruiter_client
):
    ours = TagFactory(company=company, name="Python")
    theirs = TagFactory(company=other_company, name="Secret shortlist")
    ada = CandidateFactory(company=company, name="Ada Lovelace")
    spy = CandidateFactory(company=other_company, name="Eve Spy")
    spy.tags.add(theirs)
    # not offered in the filters
    for url in (APPLICATIONS, CANDIDATES):
        html = _listed(recruiter_client, url).content.decode()
        assert f"tag={ours.pk}" in html and "Secret shortlist" not in html
    # a filter naming it lists nothing
    assert list(_listed(recruiter_client, CANDIDATES, tag=theirs.pk).context["cl"].result_list) == []
    # the services refuse to put it on a candidate of another company
    assert tags_apply(candidate_ids=[ada.pk], tags=[theirs], add=True) == 0
    assert not ada.tags.exists()
    # the bulk action does not offer it, and a posted id of it is refused
    response = recruiter_client.post(
        CANDIDATES,
        {"action": "tag_selected", ACTION_CHECKBOX_NAME: [ada.pk], "apply": "1", "tags": [theirs.pk]},
    )
    assert response.status_code == 200 and "Secret shortlist" not in response.content.decode()
    assert not ada.tags.exists()
    # the candidate form refuses it
    change = reverse("admin:hiring_candidate_change", args=[ada.pk])
    data = {
        "name": ada.name,
        "email": ada.email,
        "source": ada.source,
        "tags": [theirs.pk],
        "applications-TOTAL_FORMS": "0",
        "applications-INITIAL_FORMS": "0",
    }
    assert recruiter_client.post(change, data).status_code == 200
    assert not ada.tags.exists()
    # and the Tag admin does not show it
    assert recruiter_client.get(reverse("admin:hiring_tag_change", args=[theirs.pk])).status_code == 404


def test_the_tag_filter_lists_the_tagged_peoples_applications(company, recruiter_client):
    python = TagFactory(company=company, name="Python")
    job = JobFactory(company=company)
    stage = JobStageFactory(job=job)
    ada = ApplicationFactory(
        company=company, job=job, stage=stage, candidate__company=company, candidate__name="Ada Lovelace"
    )
    ApplicationFactory(
        company=company, job=job, stage=stage, candidate__company=company, candidate__name="Charles Babbage"
    )
    ada.candidate.tags.add(python)
    response = _listed(recruiter_client, APPLICATIONS, tag=python.pk)
    assert _names(response) == {"Ada Lovelace"}
    assert 'class="tag tag-grey">Python</span>' in response.content.decode()


def test_bulk_tag_and_untag_from_the_application_list(company, recruiter_client):
    python = TagFactory(company=company, name="Python")
    remote = TagFactory(company=company, name="Remote")
    job = JobFactory(company=company)
    stage = JobStageFactory(job=job)
    apps = [
        ApplicationFactory(company=company, job=job, stage=stage, candidate__company=company)
        for _ in range(3)
    ]
    ids = [a.pk for a in apps[:2]]
    # first the page choosing the tags
    page = recruiter_client.post(APPLICATIONS, {"action": "tag_selected", ACTION_CHECKBOX_NAME: ids})
    assert page.status_code == 200 and "Python" in page.content.decode() and "Remote" in page.content.decode()
    # then, confirmed, each selected person gets them
    done = recruiter_client.post(
        APPLICATIONS,
        {"action": "tag_selected", ACTION_CHECKBOX_NAME: ids, "apply": "1", "tags": [python.pk, remote.pk]},
    )
    assert done.status_code == 302
    tags = tag_names_for(a.candidate_id for a in apps)
    assert [[t.name for t in tags[a.candidate_id]] for a in apps] == [
        ["Python", "Remote"],
        ["Python", "Remote"],
        [],
    ]
    recruiter_client.post(
        APPLICATIONS,
        {"action": "untag_selected", ACTION_CHECKBOX_NAME: ids[:1], "apply": "1", "tags": [remote.pk]},
    )
    tags = tag_names_for(a.candidate_id for a in apps)
    assert [[t.name for t in tags[a.candidate_id]] for a in apps] == [["Python"], ["Python", "Remote"], []]


def test_bulk_tagging_is_capped_like_bulk_moves(company, recruiter_client, settings):
    settings.HIRELOOP_BULK_MAX = 2
    python = TagFactory(company=company, name="Python")
    people = [CandidateFactory(company=company) for _ in range(3)]
    response = recruiter_client.post(
        CANDIDATES,
        {
            "action": "tag_selected",
            ACTION_CHECKBOX_NAME: [p.pk for p in people],
            "apply": "1",
            "tags": [python.pk],
        },
        follow=True,
    )
    assert "More than 2 rows are selected; nothing was tagged" in response.content.decode()
    assert not Candidate.tags.through.objects.exists()
    # at the cap, it runs
    recruiter_client.post(
        CANDIDATES,
        {
            "action": "tag_selected",
            ACTION_CHECKBOX_NAME: [p.pk for p in people[:2]],
            "apply": "1",
            "tags": [python.pk],
        },
    )
    assert Candidate.tags.through.objects.count() == 2


def test_hiring_managers_and_interviewers_do_not_tag(company, manager_client):
    python = TagFactory(company=company, name="Python")
    job = JobFactory(company=company)
    app = ApplicationFactory(
        company=company, job=job, stage=JobStageFactory(job=job), candidate__company=company
    )
    manager_client.post(
        APPLICATIONS,
        {"action": "tag_selected", ACTION_CHECKBOX_NAME: [app.pk], "apply": "1", "tags": [python.pk]},
    )
    assert not Candidate.tags.through.objects.exists()


def test_erasure_unlinks_the_candidates_tags_and_keeps_the_companys(company, recruiter):
    python = TagFactory(company=company, name="Python")
    gone, stays = CandidateFactory(company=company), CandidateFactory(company=company)
    python.candidates.add(gone, stays)
    candidate_erase(candidate=gone, actor=recruiter)
    assert list(Candidate.objects.get(pk=gone.pk).tags.all()) == []
    assert list(python.candidates.all()) == [stays]


def test_tags_round_trip_through_the_export_and_the_import(company, recruiter_client):
    job = JobFactory(company=company, title="Backend", status="open")
    JobStageFactory(job=job, position=0)
    TagFactory(company=company, name="Python")
    imports = reverse("admin:hiring_application_import")
    content = f'job_id,email,name,tags\n{job.pk},ada@example.org,Ada Lovelace,"python, Remote"\n'.encode()
    preview = recruiter_client.post(imports, {"file": SimpleUploadedFile("people.csv", content)})
    assert recruiter_client.post(imports, {"token": preview.context["token"]}).status_code == 302
    ada = Candidate.objects.get(email="ada@example.org")
    # the known tag is used whatever the case, the new one created in the company
    assert sorted(ada.tags.values_list("name", flat=True)) == ["Python", "Remote"]
    assert Tag.objects.filter(company=company).count() == 2
    response = recruiter_client.get(reverse("admin:hiring_application_export"))
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert [row["tags"] for row in rows] == ["Python, Remote"]
