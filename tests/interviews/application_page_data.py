"""An application with everything its page shows: a job with tracks and a take-home, the track
chosen, a hand-in with files and links, a request for more time, interviews with `size` submitted
scorecards, emails sent; and a candidate with every contact detail filled."""

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from hiring.models import Role
from hiring.questionnaires import application_answers_record
from hiring.services import application_hold, application_resume
from hiring.tagging import tags_add_by_name
from interviews.portal_actions import application_track_choose, extension_request_create, handin_submit
from interviews.portal_selectors import handin_deadline
from interviews.services import RatingInput, interview_schedule, scorecard_submit
from tests.hiring.documents import PDF
from tests.hiring.factories import MembershipFactory, RejectionReasonFactory, question
from tests.interviews.factories import InterviewKitFactory, rubric_with_bar
from tests.interviews.portal_data import loop


def full_application(company, size: int, *, email: str = "sabas@example.org"):
    lp = loop(company)
    application = lp.application
    candidate = application.candidate
    candidate.name, candidate.email = "Sabas Soria", email
    candidate.phone, candidate.location = "+33 6 12 34 56 78", "Lyon, France"
    candidate.linkedin_url = "https://www.linkedin.com/in/sabas"
    candidate.github_url = "https://github.com/sabas"
    candidate.website_url = "https://sabas.example.org"
    candidate.resume.save("cv.pdf", SimpleUploadedFile("cv.pdf", PDF), save=False)
    candidate.save()
    tags_add_by_name(company_id=company.pk, names_by_candidate={candidate.pk: ["python", "remote"]})
    screen = application.job.stages.get(position=0)
    rubric = rubric_with_bar(company)
    kit = InterviewKitFactory(stage=screen, company=company, rubric=rubric, name="Screen scorecard")
    competencies = list(rubric.competencies.all())
    members = [MembershipFactory(company=company, role=Role.INTERVIEWER) for _ in range(size)]
    start = timezone.now() - datetime.timedelta(days=3)
    for i, panel in enumerate([members[: size // 2], members[size // 2 :]]):
        interview = interview_schedule(
            application=application,
            kit=kit,
            starts_at=start + datetime.timedelta(hours=i),
            ends_at=start + datetime.timedelta(hours=i, minutes=45),
            interviewers=panel,
        )
        for card in interview.scorecards.all():
            ratings = [RatingInput(c.pk, 4, "evidence") for c in competencies]
            scorecard_submit(scorecard=card, ratings=ratings, red_flag_ids=[], recommendation="yes")
    for i in range(size):
        application_track_choose(
            application=application, track=[lp.take_home, lp.live][(size - 1 - i) % 2], by_candidate=True
        )
    deadline = handin_deadline(application=application, kit=lp.take_home_kit)
    extension_request_create(
        application=application,
        kit=lp.take_home_kit,
        requested_until=deadline + datetime.timedelta(days=2),
        reason="Ill",
    )
    handin_submit(
        application=application,
        kit=lp.take_home_kit,
        files=[SimpleUploadedFile(f"f{i}.pdf", PDF) for i in range(size)],
        links=[f"https://example.org/{i}" for i in range(size)],
    )
    application.refresh_from_db()
    actor = MembershipFactory(company=company, role=Role.RECRUITER).user
    application_hold(application=application, actor=actor, note="Waiting for the budget")
    application_resume(application=application, actor=actor)
    for i in range(size):
        RejectionReasonFactory(company=company, name=f"Reason {i} (#{application.pk})")
    answers = {}
    for i in range(size):
        q = question(job=application.job, kind="short_text", label=f"Question number {i}", position=i)
        answers[q.pk] = f"Answer text {i}"
    application_answers_record(application=application, answers=answers)
    application.refresh_from_db()
    return application
