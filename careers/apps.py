from django.apps import AppConfig


class CareersConfig(AppConfig):
    """Top floor: the public careers site (company job lists, job pages with the loop, the JSON
    feed). Reads every app below through careers.selectors; owns no rule of theirs."""

    name = "careers"
    verbose_name = "Careers site"
