"""Print a candidate portal sign-in link, for support staff and tests."""

from django.core.management.base import BaseCommand, CommandError

from careers.portal.services import portal_link_create
from hiring.models import Candidate, Company


class Command(BaseCommand):
    help = "Print a single-use sign-in link to the candidate portal for EMAIL at the company SLUG."

    def add_arguments(self, parser):
        parser.add_argument("email", help="The candidate's email address (any case).")
        parser.add_argument("--company", required=True, help="The company's slug.")

    def handle(self, *args, email, company, **options):
        found = Company.objects.filter(slug=company).first()
        if found is None:
            raise CommandError(f"No company with the slug {company!r}.")
        candidate = (
            Candidate.objects.filter(company=found, email__iexact=email.strip(), anonymised_at__isnull=True)
            .select_related("company")
            .first()
        )
        if candidate is None:
            raise CommandError(f"No candidate with the email {email!r} at {found.name}.")
        self.stdout.write(portal_link_create(candidate=candidate))
