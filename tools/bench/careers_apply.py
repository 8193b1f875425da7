"""The careers application form under load: a POST with a 1 MB PDF résumé and a 10-question questionnaire.

Each measured request is one new candidate applying to a job of the careers company (its own
address and email, so the rate limits count each visitor once): the form page is opened first to
take its signed submission key (not timed), then the POST is timed up to its redirect. The
application, its answers and the "application received" email are written as on the public site;
tasks run inline and mail goes to an in-memory sink.
"""

import time

from celery import current_app
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import reverse

from hiring.models import Company, Job
from hiring.questions import Question, QuestionChoice, QuestionKind

from .measure import Result, Target, measured, sql_ms

PDF = b"%PDF-1.4\n" + b"% benchmark resume\n" * (1024 * 1024 // 19) + b"%%EOF\n"
QUESTIONS = [
    (QuestionKind.YES_NO, "Are you allowed to work in the EU?", ()),
    (QuestionKind.NUMBER, "Years of professional experience", ()),
    (QuestionKind.SINGLE_CHOICE, "Hours a week", ("40", "32", "24")),
    (QuestionKind.MULTIPLE_CHOICE, "Languages you write in production", ("Python", "Go", "TypeScript")),
    (QuestionKind.URL, "A project you are proud of", ()),
    (QuestionKind.SHORT_TEXT, "Notice period", ()),
    (QuestionKind.LONG_TEXT, "Why this job?", ()),
    (QuestionKind.SHORT_TEXT, "Current location", ()),
    (QuestionKind.NUMBER, "Expected salary (EUR per year)", ()),
    (QuestionKind.LONG_TEXT, "Anything else we should know?", ()),
]


def apply_job(company: Company) -> Job:
    """The first job of the careers company, with its 10 questions (added once)."""
    job = Job.objects.filter(company=company).order_by("title", "id").first()
    if not Question.objects.filter(job=job).exists():
        for position, (kind, label, choices) in enumerate(QUESTIONS):
            question = Question.objects.create(
                company=company, job=job, position=position, kind=kind, label=label, is_required=True
            )
            QuestionChoice.objects.bulk_create(
                QuestionChoice(company=company, question=question, position=i, label=text)
                for i, text in enumerate(choices)
            )
    return job


def _answers(job: Job) -> dict:
    data = {}
    for question in Question.objects.filter(job=job).prefetch_related("choices"):
        name = f"question_{question.pk}"
        choices = [c.pk for c in question.choices.all()]
        data[name] = {
            QuestionKind.YES_NO: "yes",
            QuestionKind.NUMBER: "7",
            QuestionKind.SINGLE_CHOICE: str(choices[0]) if choices else "",
            QuestionKind.MULTIPLE_CHOICE: [str(c) for c in choices[:2]],
            QuestionKind.URL: "https://example.org/project",
            QuestionKind.SHORT_TEXT: "One month",
            QuestionKind.LONG_TEXT: "I like the way this team publishes its whole interview loop.\n" * 5,
        }[question.kind]
    return data


def _token(page: bytes) -> str | None:
    marker = b'name="submission" value="'
    start = page.find(marker)
    if start < 0:
        return None
    start += len(marker)
    return page[start : page.index(b'"', start)].decode()


def measure_apply(*, company: Company, warmup: int, requests: int, out) -> Result:
    result = Result(
        name="careers_apply",
        label="Careers application POST, 1 MB PDF, 10 questions",
        target=Target(p50_ms=150, options=None),
    )
    job = apply_job(company)
    url = reverse("careers:apply", args=[company.slug, job.pk])
    result.url = url
    answers = _answers(job)
    client = Client()
    conf = current_app.conf
    eager = conf.task_always_eager
    conf.task_always_eager = True
    run_id = int(time.time())
    times, sql_times = [], []
    try:
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
            for i in range(warmup + requests):
                address = f"10.9.{i // 250}.{i % 250 + 1}"
                token = _token(client.get(url, REMOTE_ADDR=address).content)
                if token is None:
                    result.status = "no application form"
                    return result
                data = {
                    "name": f"Bench Applicant {i}",
                    "email": f"applicant{run_id}-{i}@bench-careers.example.com",
                    "consent": "on",
                    "submission": token,
                    "resume": SimpleUploadedFile("resume.pdf", PDF, content_type="application/pdf"),
                    **answers,
                }
                with CaptureQueriesContext(connection) as queries:
                    started = time.perf_counter()
                    response = client.post(url, data, REMOTE_ADDR=address)
                    elapsed = (time.perf_counter() - started) * 1000
                if response.status_code != 302:
                    result.status = f"HTTP {response.status_code}"
                    out.write(f"  {result.label}: {result.status} at {url}\n")
                    return result
                if i >= warmup:
                    times.append(elapsed)
                    sql_times.append(sql_ms(queries.captured_queries))
                    result.queries = len(queries.captured_queries)
    finally:
        conf.task_always_eager = eager
    return measured(result, times, sql_times, out)
