"""A story's pages (paged, single, print) and the error pages, in the site's style."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest, HttpResponseServerError
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
        page_canonical_url=article.canonical_url(url.removeprefix(article.own_url())),
        prev_url=article.page_url(number - 1) if number and number > 1 else None,
        next_url=article.page_url(number + 1) if number and number < count else None,
        # The lead photo and the first paragraph's dateline belong to the story's start.
        first_page=number in (None, 1),
    )
    if article.is_live_coverage and number in (None, 1):
        updates = article.live_updates.for_page()
        context.update(live_updates=updates, live_latest=max((u.pk for u in updates), default=0))
    response = TemplateResponse(request, "news/article_page.html", context)
    if article.coverage_running and number in (None, 1):
        # A reader's reload (or the refresh link, without JavaScript) must ask again, not reuse a
        # copy up to a minute old: browsers revalidate, a 304 while nothing changed. The page cache
        # keeps this max-age (publishing/pagecache.py) and still holds the page for everyone.
        response["Cache-Control"] = "public, max-age=0"
    return response


def print_page(request: HttpRequest, article: Any) -> TemplateResponse:
    context = article.story_context(request, blocks=article.whole_body(), first_page=True)
    return TemplateResponse(request, "news/article_print.html", context)


def live_updates(request: HttpRequest, article: Any) -> HttpResponse:
    """``…/updates/``: the newest updates, newest first, as the page shows them (each with its
    version, so an open page sees edits and deletions); ``…/updates/?after=ID``: those newer than ID.

    What a reader's page polls (news/static/news/js/live.js; ``?after=`` only to catch up). Its answer
    is the same for every reader of the same address, so the page cache keeps it
    (publishing/pagecache.py) until an update is posted, edited or deleted, and a poll with nothing
    new gets a 304 from the cache. Its first element carries the newest id, whether there are more
    than it holds, and whether the coverage has ended.
    """
    from dateline.inputs import InputError, after_id

    from .live import POLL_UPDATES

    if not article.is_live_coverage:
        raise Http404("This story is not live coverage")
    try:
        after = after_id(request.GET.get("after"))
    except InputError as problem:
        return HttpResponseBadRequest(f"{problem}\n", content_type="text/plain; charset=utf-8")
    # the page cache may keep this ?after= answer (news/middleware.py)
    request.dateline_paged = "after" in request.GET  # type: ignore[attr-defined]
    updates = list(
        article.live_updates.filter(pk__gt=after).newest_first().select_related("author")[: POLL_UPDATES + 1]
    )
    more = len(updates) > POLL_UPDATES  # a reader away for long reloads the page rather than poll 50 at a time
    updates = updates[:POLL_UPDATES]
    context = {
        "page": article,
        "updates": updates,
        "latest": updates[0].pk if updates else after,
        "more": more,
    }
    return TemplateResponse(request, "news/live/poll.html", context)


def live_update(request: HttpRequest, article: Any, update_id: int) -> HttpResponse:
    """``…/updates/ID/``: one update on a page of its own, with the way back to the coverage."""
    if not article.is_live_coverage:
        raise Http404("This story is not live coverage")
    update = article.live_updates.select_related("author").filter(pk=update_id).first()
    if update is None:
        raise Http404("No such update in this story")
    context = article.story_context(
        request, update=update, page_canonical_url=article.canonical_url(f"updates/{update.pk}/")
    )
    return TemplateResponse(request, "news/live/update_page.html", context)


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
