import json
import re

import pytest
from django.urls import reverse

from careers import selectors
from hiring.models import JobStatus, RemoteOption, StageKind
from tests.careers.factories import job_with_loop, published_job
from tests.hiring.factories import CompanyFactory, JobStageFactory
from tests.interviews.factories import InterviewKitFactory

pytestmark = pytest.mark.django_db


def _list(client, company, **query):
    return client.get(reverse("careers:jobs", args=[company.slug]), query)


def test_the_list_shows_published_open_jobs_with_the_company_brand(client):
    company = CompanyFactory(name="Acme", accent_color="#aa3300")
    shown = published_job(company, title="Backend engineer")
    published_job(company, title="Draft job", status=JobStatus.DRAFT)
    published_job(company, title="Closed job", status=JobStatus.CLOSED)
    published_job(company, title="Unpublished job", is_published=False)
    published_job(CompanyFactory(), title="Another company's job")

    response = _list(client, company)

    page = response.content.decode()
    assert response.status_code == 200
    assert "Backend engineer" in page and reverse("careers:job", args=[company.slug, shown.pk]) in page
    for hidden in ("Draft job", "Closed job", "Unpublished job", "Another company"):
        assert hidden not in page
    assert "Careers at Acme" in page
    theme = client.get(reverse("careers:theme", args=[company.slug]))
    assert theme["Content-Type"].startswith("text/css") and b"--accent: #aa3300" in theme.content


def test_unknown_company_answers_404(client):
    assert client.get("/careers/nobody/").status_code == 404
    assert client.get("/careers/nobody/jobs.json").status_code == 404


def test_filters_and_search_narrow_the_list(client):
    company = CompanyFactory()
    published_job(company, title="Data engineer", team="Data", location="Paris", remote=RemoteOption.REMOTE)
    published_job(company, title="Web designer", team="Design", location="Lyon", remote=RemoteOption.ONSITE)

    def titles(**query):
        page = _list(client, company, **query).content.decode()
        return {t for t in ("Data engineer", "Web designer") if t in page}

    assert titles() == {"Data engineer", "Web designer"}
    assert titles(team="Data") == {"Data engineer"}
    assert titles(location="Lyon") == {"Web designer"}
    assert titles(remote="remote") == {"Data engineer"}
    assert titles(q="designer") == {"Web designer"}
    assert titles(q="web lyon") == {"Web designer"}
    assert titles(remote="bogus") == {"Data engineer", "Web designer"}  # an unknown value is ignored


def test_the_list_is_paginated(client):
    company = CompanyFactory()
    for i in range(25):
        published_job(company, title=f"Job {i:02d}")
    first = _list(client, company).content.decode()
    second = _list(client, company, page=2).content.decode()
    assert "Job 00" in first and "Job 19" in first and "Job 20" not in first
    assert "Job 20" in second and "Job 24" in second and "Job 00" not in second
    assert "Page 1 of 2" in first


def test_job_page_shows_description_facts_and_the_whole_loop_in_order(client):
    job = job_with_loop(title="Platform engineer")
    response = client.get(reverse("careers:job", args=[job.company.slug, job.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "<h2>The role</h2>" in page and "<strong>things</strong>" in page
    assert "Lyon" in page and "Senior" in page and "Hybrid" in page
    order = [page.index(name) for name in ("Intro call", "Technical round", "Trial day", "Offer")]
    assert order == sorted(order)
    assert "No AI tools" in page and "about 30 minutes" in page and "Phone call" in page
    assert "AI tools welcome, except a 20-minute block without AI" in page
    assert "AI required" in page and "1 week to hand it in" in page
    assert "You choose one of these tracks:" in page
    assert "Live pairing" in page and "Pair with an engineer." in page and "Build it at home." in page
    trial = page[page.index("Trial day") :]
    assert "Paid" in trial[:400]


def test_internal_stages_and_kits_never_appear(client):
    job = job_with_loop()
    committee = JobStageFactory(job=job, position=9, name="Hiring committee", kind=StageKind.OTHER)
    InterviewKitFactory(stage=committee, company=job.company, name="Committee review", is_internal=True)
    InterviewKitFactory(
        stage=job.stages.get(name="Trial day"), company=job.company, name="Trial review", is_internal=True
    )
    page = client.get(reverse("careers:job", args=[job.company.slug, job.pk])).content.decode()
    for hidden in ("Hiring committee", "Committee review", "Trial review"):
        assert hidden not in page
    assert "Intro call" in page and "Work day" in page


def test_the_candidate_facing_rule_reads_the_internal_flag_of_kits():
    job = job_with_loop()
    kit = job.stages.get(name="Intro call").kits.get()
    assert selectors.is_candidate_facing(kit) is True
    kit.is_internal = True
    kit.save()
    assert selectors.is_candidate_facing(kit) is False
    assert selectors.is_candidate_facing(job.stages.get(name="Intro call")) is False  # its only kit
    assert selectors.is_candidate_facing(job.stages.get(name="Offer")) is True  # no kits at all


def test_draft_closed_unpublished_and_foreign_jobs_answer_404(client):
    company = CompanyFactory()
    other = CompanyFactory()
    for fields in ({"status": JobStatus.DRAFT}, {"status": JobStatus.CLOSED}, {"is_published": False}):
        job = published_job(company, **fields)
        assert client.get(reverse("careers:job", args=[company.slug, job.pk])).status_code == 404
    foreign = published_job(other)
    assert client.get(reverse("careers:job", args=[company.slug, foreign.pk])).status_code == 404
    assert client.get(reverse("careers:job", args=[other.slug, foreign.pk])).status_code == 200


def test_the_description_is_sanitised(client):
    job = published_job(
        description="<script>alert(1)</script>\n\n[x](javascript:alert(1)) <img src=x onerror=alert(1)>\n\n"
        "[ok](https://example.org)"
    )
    page = client.get(reverse("careers:job", args=[job.company.slug, job.pk])).content.decode()
    body = page[page.index('id="about"') : page.index("</section>")]
    assert "<script" not in body and "<img" not in body and 'href="javascript' not in body
    assert "&lt;script&gt;alert(1)" in body  # shown as text, never run
    assert 'href="https://example.org" rel="noopener noreferrer nofollow"' in body


def test_job_page_carries_json_ld_job_posting_that_cannot_break_out(client):
    job = published_job(title="Engineer </script><script>alert(1)</script>", location="Nantes")
    page = client.get(reverse("careers:job", args=[job.company.slug, job.pk])).content.decode()
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    assert len(blocks) == 1
    data = json.loads(blocks[0])
    assert data["@type"] == "JobPosting" and data["title"].startswith("Engineer </script>")
    assert data["hiringOrganization"]["name"] == job.company.name
    assert data["jobLocation"]["address"]["addressLocality"] == "Nantes"
    assert "<script>alert(1)" not in page


def test_no_inline_script_or_style_on_public_pages(client):
    job = job_with_loop()
    for url in (
        reverse("careers:jobs", args=[job.company.slug]),
        reverse("careers:job", args=[job.company.slug, job.pk]),
    ):
        response = client.get(url)
        page = response.content.decode()
        scripts = re.findall(r"<script([^>]*)>", page)
        assert all('type="application/ld+json"' in attrs for attrs in scripts)
        assert "<style" not in page and " style=" not in page
        assert "script-src 'self'" in response["Content-Security-Policy"]


def test_the_feed_lists_open_published_jobs_with_cache_headers(client):
    company = CompanyFactory()
    job = published_job(company, title="Feed job")
    published_job(company, title="Hidden", is_published=False)
    response = client.get(reverse("careers:feed", args=[company.slug]))
    assert response.status_code == 200
    assert "max-age=" in response["Cache-Control"] and "public" in response["Cache-Control"]
    data = response.json()
    assert [j["title"] for j in data["jobs"]] == ["Feed job"]
    assert data["jobs"][0]["url"].endswith(reverse("careers:job", args=[company.slug, job.pk]))


def test_public_pages_refuse_posts(client):
    company = CompanyFactory()
    assert client.post(reverse("careers:jobs", args=[company.slug])).status_code == 405
