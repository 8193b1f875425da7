from django.apps import AppConfig


class CareersConfig(AppConfig):
    """Top floor: the public careers site (company job lists, job pages with the loop, the JSON
    feed, the application form) and the candidate portal (careers.portal). Reads every app below
    through its selectors and writes through their services; owns no rule of theirs."""

    name = "careers"
    verbose_name = "Careers site"

    def ready(self):
        # Every email a candidate receives carries their own fresh portal link, and the outbox
        # hides such links from everyone but the candidate (the notifications' extension point).
        from careers.portal.services import PERSONAL_LINK_HIDDEN, PERSONAL_LINK_PATTERN, portal_link_create
        from interviews.notifications.candidate_links import register_candidate_link

        register_candidate_link(
            lambda candidate: portal_link_create(candidate=candidate),
            pattern=PERSONAL_LINK_PATTERN,
            hidden=PERSONAL_LINK_HIDDEN,
        )
