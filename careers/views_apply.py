"""The application form of a job (GET shows it, POST applies), its confirmation, and the careers
site's answers to a request too large or too frequent. Thin: careers.forms checks what was sent,
hiring.applicants.application_submit writes it."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import Resolver404, resolve, reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from careers import selectors, text
from careers.forms import ApplicationForm, submission_token
from careers.questionnaire import QuestionnaireForm
from config.ratelimit import limit_reached, post_field_key, rate_limited
from hiring.applicants import application_submit
from hiring.questionnaires import application_answers_record

# Posts of the form count per client address and per email typed (HIRELOOP_RATE_LIMITS["apply"]).
APPLY_KEYS = ("ip", post_field_key("email"))
RETRY_AFTER = 600  # seconds, in the Retry-After of a refused post


def _language() -> str:
    """The page's language as a Candidate.language value ("en", "fr")."""
    language = (translation.get_language() or "").split("-")[0]
    return language if language in dict(settings.LANGUAGES) else settings.LANGUAGES[0][0]


def _error_summary(form) -> list[dict]:
    """Every error of the form, each linked to its field when the field is on the page."""
    items = []
    for name, errors in form.errors.items():
        field = form.fields.get(name)
        shown = field is not None and not field.widget.is_hidden
        for message in errors:
            items.append({"href": f"#{form[name].auto_id}" if shown else "", "message": message})
    return items


def _form_page(request, job, form, questionnaire, status=200):
    company = job.company
    context = {
        "company": company,
        "job": job,
        "form": form,
        "fields": form.visible(),
        "questionnaire": list(questionnaire),
        "honeypot": form["homepage"],
        "errors": _error_summary(form) + _error_summary(questionnaire) if form.is_bound else [],
        "retention": text.retention_text(company.retention_days),
        "retention_days": company.retention_days,
    }
    return render(request, "careers/apply.html", context, status=status)


def _done_page(request, job, *, already_applied: bool):
    context = {"company": job.company, "job": job, "already_applied": already_applied}
    return render(request, "careers/apply_done.html", context)


@require_http_methods(["GET", "POST"])
@rate_limited("careers")
def apply_view(request, slug, job_id):
    job = selectors.careers_job_by_slug(slug, job_id)
    if request.method == "GET":
        form = ApplicationForm(job_id=job.pk, initial={"submission": submission_token(job.pk)})
        return _form_page(request, job, form, QuestionnaireForm(job=job))
    if limit_reached(request, "apply", keys=APPLY_KEYS, methods=("POST",)):
        return too_many_requests(request, job.company)
    form = ApplicationForm(request.POST, request.FILES, job_id=job.pk)
    questionnaire = QuestionnaireForm(job=job, data=request.POST, files=request.FILES)
    done = reverse("careers:apply_done", args=[job.company.slug, job.pk])
    if form.is_bot():
        return redirect(done)  # answered as a success; nothing is written
    if not (form.is_valid() & questionnaire.is_valid()):  # both, so every error shows at once
        if form.key is None:  # a fresh key, so that the corrected form can be sent
            form.data = form.data.copy()
            form.data["submission"] = submission_token(job.pk)
        return _form_page(request, job, form, questionnaire)

    def record_answers(application):
        # The questionnaire's answers, in the application's transaction (knockouts flag or reject).
        application_answers_record(application=application, answers=questionnaire.answers())

    try:
        result = application_submit(
            job=job,
            key=form.key,
            details=form.details(language=_language()),
            record_answers=record_answers,
        )
    except ValidationError:
        form.add_error(None, _("This job takes no applications at the moment."))
        return _form_page(request, job, form, questionnaire)
    if result.replayed:
        return _done_page(request, job, already_applied=True)
    return redirect(done)


@require_GET
@rate_limited("careers")
def apply_done_view(request, slug, job_id):
    """The confirmation: the same page whether the address was new, known, or had applied before."""
    return _done_page(request, selectors.careers_job_by_slug(slug, job_id), already_applied=False)


def _company_of_path(path: str):
    try:
        slug = resolve(path).kwargs.get("slug")
    except Resolver404:
        return None
    try:
        return selectors.careers_company(slug) if slug else None
    except Http404:
        return None


def request_too_large(request):
    """413 in the careers look (careers.middleware.RequestSizeLimitMiddleware answers with it)."""
    context = {
        "company": _company_of_path(request.path_info),
        "limit": settings.HIRELOOP_APPLY_MAX_REQUEST_MB,
        "file_limit": settings.HIRELOOP_UPLOAD_MAX_MB,
        "back": request.path_info,
    }
    return render(request, "careers/too_large.html", context, status=413)


def too_many_requests(request, company):
    """429 in the careers look, for a post over the "apply" rate."""
    response = render(request, "careers/too_many.html", {"company": company}, status=429)
    response["Retry-After"] = str(RETRY_AFTER)
    return response
