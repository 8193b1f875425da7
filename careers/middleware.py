"""The language of the public pages: the visitor's choice (the set_language cookie) or their
browser's Accept-Language, among settings.LANGUAGES. Everything else (the admin) stays in
settings.LANGUAGE_CODE, whatever the browser asks for."""

from django.conf import settings
from django.utils import translation
from django.utils.cache import patch_vary_headers

PUBLIC_PREFIXES = ("/careers/",)


def is_public_path(path: str) -> bool:
    return path.startswith(PUBLIC_PREFIXES)


class PublicLocaleMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not is_public_path(request.path_info):
            translation.activate(settings.LANGUAGE_CODE)
            request.LANGUAGE_CODE = translation.get_language()
            return self.get_response(request)
        language = translation.get_language_from_request(request)
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        try:
            response = self.get_response(request)
        finally:
            translation.activate(settings.LANGUAGE_CODE)
        patch_vary_headers(response, ("Accept-Language", "Cookie"))
        response.headers.setdefault("Content-Language", language)
        return response
