"""A story's pages (paged, single, print) and the error pages, in the site's style."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django.template.response import TemplateResponse


def article_page(request: HttpRequest, article: Any, number: int | None) -> TemplateResponse:
    """Page ``number`` of the story, or the whole story on one page when ``number`` is None."""
    pages = article.story_pages()
    if number is None:
        blocks, url = article.whole_body(), article.single_url
    else:
        if not 1 <= number <= len(pages):
            raise Http404(f"This story has {len(pages)} page(s)")
        blocks, url = pages[number - 1], article.page_url(number)
    context = article.story_context(
        request,
        blocks=blocks,
        page_number=number,
        page_count=len(pages),
        single=number is None,
        page_canonical_url=article.canonical_url(url.removeprefix(article.url)),
        prev_url=article.page_url(number - 1) if number and number > 1 else None,
        next_url=article.page_url(number + 1) if number and number < len(pages) else None,
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
