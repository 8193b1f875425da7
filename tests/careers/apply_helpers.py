"""What the application-form tests share: a job with a first stage, a valid post, posting it."""

import re

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from hiring.models import StageKind
from tests.careers.factories import published_job
from tests.hiring import documents as doc
from tests.hiring.factories import JobStageFactory

TOKEN = re.compile(r'name="submission" value="([^"]+)"')


def job_to_apply(company=None, **fields):
    job = published_job(company, **fields)
    JobStageFactory(
        job=job,
        position=0,
        name="Application review",
        kind=StageKind.APPLICATION_REVIEW,
        instructions="We read every application within a week.",
    )
    JobStageFactory(job=job, position=1, name="Intro call", kind=StageKind.RECRUITER_SCREEN)
    return job


def apply_url(job, slug=None):
    return reverse("careers:apply", args=[slug or job.company.slug, job.pk])


def token(client, job, **headers) -> str:
    page = client.get(apply_url(job), **headers).content.decode()
    return TOKEN.search(page).group(1)


def resume(content=doc.PDF, name="cv.pdf"):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def form_data(client, job, **overrides):
    data = {
        "name": "Ada Lovelace",
        "email": "ada@example.org",
        "phone": "+33 6 12 34 56 78",
        "location": "Lyon, France",
        "linkedin_url": "https://www.linkedin.com/in/ada",
        "github_url": "https://github.com/ada",
        "website_url": "",
        "resume": resume(),
        "consent": "on",
        "homepage": "",
        "submission": token(client, job),
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def post(client, job, data, **headers):
    return client.post(apply_url(job), data, **headers)
