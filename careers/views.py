"""The public careers pages. Thin: reads through careers.selectors, words from careers.text."""

from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from careers import selectors, text
from careers.markup import json_ld_script, render_markdown
from config.ratelimit import rate_limited
from hiring.models import RemoteOption
from hiring.uploads import image_response

PER_PAGE = 20
FEED_MAX_AGE = 300  # seconds a feed or theme may be cached by browsers and proxies


def _public(view):
    return require_GET(rate_limited("careers")(view))


@_public
def job_list_view(request, slug):
    company = selectors.careers_company(slug)
    filters = selectors.JobFilters.from_query(request.GET)
    choices = selectors.job_filter_choices(company)
    page = Paginator(selectors.careers_job_list(company, filters), PER_PAGE).get_page(request.GET.get("page"))
    jobs = [{"job": job, "remote": text.remote_text(job.remote)} for job in page.object_list]
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "company": company,
        "filters": filters,
        "choices": choices,
        "remote_options": [(value, text.remote_text(value)) for value in RemoteOption.values],
        "page": page,
        "jobs": jobs,
        "query": query.urlencode(),
    }
    return render(request, "careers/job_list.html", context)


def _placed_blocks(kit):
    """The kit's no-AI blocks when the loop was read with them (`jobs_loops(..., blocks=True)`, the
    portal), else None: the job page keeps its query budget and names only the block's length."""
    cache = getattr(kit, "_prefetched_objects_cache", {})
    return list(cache["no_ai_blocks"]) if "no_ai_blocks" in cache else None


def loop_context(loop):
    """The loop in the candidate's words (careers.text), for the job page and the candidate portal."""
    stages = []
    for item in loop:
        stage = item.stage
        kits_by_track = {}
        sessions = []
        for kit in item.kits:
            session = {
                "name": kit.name,
                "format": text.format_text(kit),
                "duration": text.duration_text(kit),
                "ai": text.ai_policy_text(kit, blocks=_placed_blocks(kit)),
                "ai_note": kit.ai_note,
            }
            if kit.track_id:
                kits_by_track.setdefault(kit.track_id, []).append(session)
            else:
                sessions.append(session)
        tracks = [
            {"name": t.name, "description": t.description, "sessions": kits_by_track.get(t.pk, [])}
            for t in item.tracks
        ]
        stages.append(
            {
                "name": stage.name,
                "kind": text.stage_kind_text(stage.kind),
                "paid": stage.is_paid,
                "paid_text": text.paid_text(stage),
                "optional": stage.is_optional,
                "sessions": sessions,
                "tracks": tracks,
            }
        )
    return stages


def _job_posting(request, job, description_html):
    company = job.company
    data = {
        "@context": "https://schema.org",
        "@type": "JobPosting",
        "title": job.title,
        "description": str(description_html),
        "identifier": {"@type": "PropertyValue", "name": company.name, "value": str(job.pk)},
        "datePosted": (job.opened_on or job.created_at.date()).isoformat(),
        "hiringOrganization": {
            "@type": "Organization",
            "name": company.name,
            "sameAs": request.build_absolute_uri(reverse("careers:jobs", args=[company.slug])),
        },
        "url": request.build_absolute_uri(reverse("careers:job", args=[company.slug, job.pk])),
    }
    if company.logo:
        data["hiringOrganization"]["logo"] = request.build_absolute_uri(
            reverse("careers:logo", args=[company.slug])
        )
    if job.location:
        data["jobLocation"] = {
            "@type": "Place",
            "address": {"@type": "PostalAddress", "addressLocality": job.location},
        }
    if job.remote == RemoteOption.REMOTE:
        data["jobLocationType"] = "TELECOMMUTE"
    return data


@_public
def job_view(request, slug, job_id):
    job = selectors.careers_job_by_slug(slug, job_id)
    description = render_markdown(job.description)
    context = {
        "company": job.company,
        "job": job,
        "remote": text.remote_text(job.remote),
        "description": description,
        "loop": loop_context(selectors.job_loop(job)),
        "json_ld": json_ld_script(_job_posting(request, job, description)),
    }
    return render(request, "careers/job_detail.html", context)


@_public
def job_feed_view(request, slug):
    company = selectors.careers_company(slug)
    jobs = selectors.careers_job_list(company, selectors.JobFilters())
    items = [
        {
            "id": job.pk,
            "title": job.title,
            "team": job.team,
            "location": job.location,
            "level": job.level,
            "remote": job.remote,
            "opened_on": job.opened_on.isoformat() if job.opened_on else None,
            "url": request.build_absolute_uri(reverse("careers:job", args=[company.slug, job.pk])),
        }
        for job in jobs
    ]
    response = JsonResponse({"company": {"name": company.name, "slug": company.slug}, "jobs": items})
    response["Cache-Control"] = f"public, max-age={FEED_MAX_AGE}"
    return response


@_public
def theme_view(request, slug):
    """The company's accent colour as a style sheet (the CSP allows no inline style)."""
    company = selectors.careers_company(slug)
    response = HttpResponse(f":root {{ --accent: {company.accent_color}; }}\n", content_type="text/css")
    response["Cache-Control"] = f"public, max-age={FEED_MAX_AGE}"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@_public
def logo_view(request, slug):
    company = selectors.careers_company(slug)
    if not company.logo:
        raise Http404("No logo.")
    try:
        return image_response(company.logo)
    except FileNotFoundError as exc:
        raise Http404("The logo is missing from storage.") from exc
