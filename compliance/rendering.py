"""Runbook Markdown to HTML that is safe to put on a page.

Runbooks are written by people who paste from terminals and wikis, so raw HTML is
allowed through the Markdown parser and then everything goes through nh3: no
script, no event handler, no link other than http(s), mailto or within the page.
Code blocks are escaped once by the parser and left as they are by nh3, so
`cat <<EOF` or `a < b` reads as written.
"""

import nh3
from django.utils.safestring import mark_safe
from markdown_it import MarkdownIt

parser = MarkdownIt("commonmark", {"html": True}).enable("table")
URL_SCHEMES = {"http", "https", "mailto"}


def render(source):
    html = parser.render(source or "")
    return mark_safe(nh3.clean(html, url_schemes=URL_SCHEMES))  # noqa: S308
