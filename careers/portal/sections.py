"""The sections of a portal application page, beyond the core's (the loop, interviews, emails).

Each feature that adds a section to careers/templates/careers/portal/application.html (the
track choice, self-scheduling, take-home hand-ins, the survey) does two things:

1. fills its own template under careers/templates/careers/portal/sections/ (an empty placeholder
   is already included at its place in application.html, inside `{% block actions %}`), and
2. if the section needs data, registers one provider here with `@application_section`: a function
   `(request, application) -> dict` whose keys join the page's context. A provider reads through
   its own selectors, always starting from `application` (already scoped to the signed-in
   candidate by careers.portal.session.portal_application).

Providers register when their module is imported; careers.portal.urls imports every portal view
module, so they are registered before the first request.
"""

from collections.abc import Callable

Provider = Callable[..., dict]

_providers: list[Provider] = []


def application_section(provider: Provider) -> Provider:
    """Decorator: register a provider of context for the application page."""
    if provider not in _providers:
        _providers.append(provider)
    return provider


def application_sections(request, application) -> dict:
    """Every registered provider's context for this application, merged in registration order."""
    context: dict = {}
    for provider in _providers:
        context.update(provider(request, application))
    return context
