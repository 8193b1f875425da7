"""Job descriptions: Markdown written in the admin, rendered to HTML and sanitised.

markdown-it-py renders CommonMark with raw HTML off; nh3 (ammonia) then keeps only the tags and
attributes below, so nothing a recruiter pastes can run in a candidate's browser. Rendering is
memoised on the text (a description renders in well under a millisecond, the cache makes the job
page's cost nothing but a dictionary look-up).
"""

import json
from functools import lru_cache

import nh3
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt

TAGS = {
    "p",
    "br",
    "hr",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "strong",
    "em",
    "code",
    "pre",
    "blockquote",
    "ul",
    "ol",
    "li",
    "a",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
}
ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}, "th": {"align"}, "td": {"align"}}

_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("table")


@lru_cache(maxsize=2048)
def render_markdown(text: str) -> SafeString:
    """Safe HTML for a Markdown text (headings shift to h2 and below: the page owns its h1)."""
    html = _markdown.render(text or "")
    html = html.replace("<h1>", "<h2>").replace("</h1>", "</h2>")
    # Safe to mark: nh3 has just kept only the tags, attributes and URL schemes above.
    return mark_safe(  # noqa: S308 (nh3 keeps only the allow-listed tags)
        nh3.clean(
            html,
            tags=TAGS,
            attributes=ATTRIBUTES,
            url_schemes={"http", "https", "mailto"},
            link_rel="noopener noreferrer nofollow",
        )
    )


_JSON_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def json_ld_script(data) -> SafeString:
    """A schema.org block as `<script type="application/ld+json">`: a data block that browsers never
    run (so the CSP's script-src does not apply), with <, > and & escaped in the JSON as Django's
    json_script does, so no value can close the element."""
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).translate(_JSON_ESCAPES)
    # Safe to mark: the JSON holds no <, > or & left to close or open an element.
    return mark_safe(f'<script type="application/ld+json">{text}</script>')  # noqa: S308
