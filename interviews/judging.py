"""What an interviewer needs to judge, on the scorecard page: the candidate's résumé (through the
permission-checked private file view), their links and their answers to the job's questionnaire.

Nothing here reads a scorecard: what other panelists wrote stays behind the independence rule
(`scorecards_visible_to`), whatever this page shows."""

from dataclasses import dataclass, field

from hiring.models import Answer, Application
from hiring.questionnaires import application_answers


@dataclass(frozen=True)
class CandidateMaterial:
    resume_url: str = ""
    links: list[tuple[str, str]] = field(default_factory=list)  # (label, http(s) address)
    answers: list[Answer] = field(default_factory=list)


def _web(url: str) -> str:
    """The address when it is http(s), else '' (a `javascript:` link is never offered)."""
    return url if url.split(":", 1)[0].lower() in ("http", "https") else ""


def scorecard_candidate_material(*, application: Application) -> CandidateMaterial:
    """The résumé, links and questionnaire answers of the application's candidate (the candidate
    comes loaded with the application; one query, for the answers)."""
    candidate = application.candidate
    links = [
        (label, _web(url))
        for label, url in (
            ("LinkedIn", candidate.linkedin_url),
            ("GitHub", candidate.github_url),
            ("Site", candidate.website_url),
        )
        if _web(url)
    ]
    return CandidateMaterial(
        resume_url=candidate.resume.url if candidate.resume else "",
        links=links,
        answers=application_answers(application),
    )
