"""`python manage.py demo`: load the demo companies, people, templates, rubrics and pipeline.

Idempotent: a company that already exists is left untouched, so a second run changes nothing.
"""

import time

from django.core.management.base import BaseCommand
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from careers.portal.services import portal_link_create
from hiring.models import ApplicationStatus, Candidate, Company, Membership
from tools.demo.loader import companies_to_load, company_load, users_ensure
from tools.demo.outbox import demo_outbox_write
from tools.demo.people import COMPANIES, DEMO_PASSWORD, PEOPLE
from tools.demo.pipeline import PipelineGenerator, pipeline_write

SEED = 20260101
FOCUS_INTERVIEWER = "interviewer"


class Command(BaseCommand):
    help = "Load demo data: three companies with templates, rubrics, jobs, a pipeline and demo logins."

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=SEED, help="Seed of the random generator.")

    def handle(self, *args, seed: int, verbosity: int = 1, **options):
        started = time.monotonic()
        users = users_ensure()
        pending = companies_to_load()
        if not pending:
            self.stdout.write("Demo data already loaded; nothing to do.")
        now = timezone.now()
        for data in pending:
            with transaction.atomic():
                loaded = company_load(data=data, users=users)
                focus = loaded.members.get(FOCUS_INTERVIEWER)
                rows = PipelineGenerator(loaded, now=now, seed=seed, focus=focus).generate()
                counts = pipeline_write(rows)
                emails = demo_outbox_write(rows, now=now)
            self.stdout.write(
                f"{loaded.company.name}: {len(data.templates)} templates, {len(loaded.jobs)} jobs, "
                f"{counts['applications']} applications, {counts['interviews']} interviews, "
                f"{counts['scorecards']} scorecards, {emails} emails in the outbox (marked sent)"
            )
        self.stdout.write(f"Done in {time.monotonic() - started:.1f}s.\n")
        self._print_logins()
        self._print_careers_links()
        self._print_portal_links(fresh=bool(pending))

    def _print_logins(self) -> None:
        roles = {
            (m.user.username): (m.get_role_display(), m.company.name)
            for m in Membership.objects.select_related("user", "company").filter(
                user__username__in=[p.username for p in PEOPLE if p.can_log_in]
            )
        }
        rows = [("user", "password", "role", "company")]
        for person in PEOPLE:
            if not person.can_log_in:
                continue
            role, company = roles.get(person.username, ("superuser", "all companies"))
            rows.append((person.username, DEMO_PASSWORD, role, company))
        widths = [max(len(r[i]) for r in rows) for i in range(4)]
        self.stdout.write("Demo logins (admin at http://127.0.0.1:8000/admin/):")
        for i, row in enumerate(rows):
            self.stdout.write("  " + "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)))
            if i == 0:
                self.stdout.write("  " + "  ".join("-" * w for w in widths))

    def _print_careers_links(self) -> None:
        companies = Company.objects.filter(slug__in=[c.slug for c in COMPANIES]).order_by("name")
        self.stdout.write("Careers sites (public, no login):")
        for company in companies:
            path = reverse("careers:jobs", args=[company.slug])
            self.stdout.write(f"  {company.name}: http://127.0.0.1:8000{path}")

    def _print_portal_links(self, *, fresh: bool) -> None:
        """One candidate with an active application per demo company: a fresh sign-in link when the
        demo was loaded by this run (each link works once, for HIRELOOP_PORTAL_LINK_HOURS hours),
        else the command that makes one (so a second run writes nothing)."""
        self.stdout.write("Candidate portal (sign-in links work once):")
        companies = Company.objects.filter(slug__in=[c.slug for c in COMPANIES]).order_by("name")
        for company in companies:
            candidate = (
                Candidate.objects.filter(
                    company=company,
                    anonymised_at__isnull=True,
                    applications__status=ApplicationStatus.ACTIVE,
                )
                .order_by("pk")
                .first()
            )
            if candidate is None:
                continue
            if fresh:
                link = portal_link_create(candidate=candidate)
                self.stdout.write(f"  {company.name}, as {candidate.name} <{candidate.email}>: {link}")
            else:
                self.stdout.write(
                    f"  {company.name}, as {candidate.name}: "
                    f"python manage.py portal_link {candidate.email} --company {company.slug}"
                )
        if fresh:
            self.stdout.write("  More links: python manage.py portal_link EMAIL --company SLUG")
