"""A story's pages (paged, single, print) and the error pages, in the site's style."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django.template.response import TemplateResponse

from .fragments import kept, may_keep


def article_page(request: HttpRequest, article: Any, number: int | None) -> TemplateResponse:
    """Page ``number`` of the story, or the whole story on one page when ``number`` is None.

    How many pages the story has is kept with its live revision; its blocks are split only when
    the story's fragment (news/fragments.py) is rendered, not on every request.
    """
    if may_keep(request):
        count = kept(["story-page-count", article.pk, article.live_revision_id], lambda: len(article.story_pages()))
    else:
        count = len(article.story_pages())
    if number is None:
        url = article.single_url

        def blocks() -> list[Any]:
            return article.whole_body()
    else:
        if not 1 <= number <= count:
            raise Http404(f"This story has {count} page(s)")
        url = article.page_url(number)

        def blocks() -> list[Any]:
            return article.story_pages()[number - 1]

    context = article.story_context(
        request,
        blocks=blocks,  # a callable: the template calls it only where it renders the blocks
        page_number=number,
        page_count=count,
        single=number is None,
        page_canonical_url=article.canonical_url(url.removeprefix(article.url)),
        prev_url=article.page_url(number - 1) if number and number > 1 else None,
        next_url=article.page_url(number + 1) if number and number < count else None,
        # The lead photo and the first paragraph's dateline belong to the story's start.
        first_page=number in (None, 1),
    )
    return TemplateResponse(request, "news/article_page.html", context)


def print_page(request: HttpRequest, article: Any) -> TemplateResponse:
    context = article.story_context(request, blocks=article.whole_body(), first_page=True)
    return TemplateResponse(request, "news/article_print.html", context)


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    # No context processors here: the failure may be in one of them.
    return HttpResponseServerError(loader.get_template("500.html").render({"site_name": "Dateline"}))


@cache
def _favicon() -> bytes:
    return (Path(__file__).parent / "static/news/img/favicon.ico").read_bytes()


def favicon(request: HttpRequest) -> HttpResponse:
    """/favicon.ico, which browsers ask for whatever the page's links say (drawn by scripts/make_icons.py)."""
    response = HttpResponse(_favicon(), content_type="image/vnd.microsoft.icon")
    response["Cache-Control"] = "public, max-age=86400"
    return response


def theme_css(request: HttpRequest) -> HttpResponse:
    """The site's accent colour as a style sheet (a strict CSP allows no inline style), at an address
    that names the colour's version: cached for a year, replaced by a new address when it changes."""
    from .identity import current

    identity = current()
    css = f":root {{ --band: {identity.accent}; }}\n"
    response = HttpResponse(css, content_type="text/css; charset=utf-8")
    if request.GET.get("v") == identity.theme_version:
        response["Cache-Control"] = "public, max-age=31536000, immutable"
    else:
        response["Cache-Control"] = "public, max-age=60"
    return response
