"""The content API for partners: ninjs 2.1 documents, newest first, paged.

    GET /api/ninjs/items/?since=<ISO 8601>&section=<slug>&page=N
    GET /api/ninjs/items/<uri>

When DATELINE_API_KEY_REQUIRED is on, an active key from the admin must come in the
X-API-Key header (or as "Authorization: Bearer KEY"). Errors are JSON: {"error": "..."}.
"""

from __future__ import annotations

from functools import wraps
from urllib.parse import urlencode

from django.conf import settings
from django.core.paginator import Paginator
from django.http import JsonResponse
from django.views.decorators.http import require_safe

from dateline.clients import Limit, client_key
from dateline.inputs import InputError, aware_moment, page_number
from dateline.news.fragments import kept
from dateline.news.models import SectionPage
from dateline.news.pages import live_articles, live_sections

from .conditional import conditional, list_state
from .content import absolute
from .identity import find_story
from .models import ApiKey
from .ninjs import NINJS_VERSION, story_document

PAGE_SIZE = 20
JSON_OPTIONS = {"ensure_ascii": False, "indent": 1}


class BadRequest(Exception):
    pass


def error(status: int, message: str) -> JsonResponse:
    return JsonResponse({"error": message}, status=status, json_dumps_params=JSON_OPTIONS)


def api_view(view):
    """GET/HEAD only, the key check, and bad parameters as 400 with a JSON body."""

    @require_safe
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        wait = Limit("api", settings.DATELINE_API_RATE_LIMIT, 60).hit(client_key(request))
        if wait is not None:
            response = error(429, f"too many requests from your address: try again in {wait} s")
            response.headers["Retry-After"] = str(wait)
            return response
        if settings.DATELINE_API_KEY_REQUIRED:
            presented = request.headers.get("X-API-Key", "")
            bearer = request.headers.get("Authorization", "")
            if not presented and bearer.lower().startswith("bearer "):
                presented = bearer[7:].strip()
            if ApiKey.verify(presented) is None:
                response = error(
                    401,
                    "an API key is required: send an active key in the X-API-Key header"
                    if not presented
                    else "the API key is not valid",
                )
                response.headers["WWW-Authenticate"] = 'Bearer realm="ninjs"'
                return response
        try:
            response = view(request, *args, **kwargs)
        except BadRequest as exc:
            return error(400, str(exc))
        response.headers["Vary"] = "X-API-Key, Authorization"
        if settings.DATELINE_API_KEY_REQUIRED:  # an answer for one partner's key: no shared cache keeps it
            response.headers["Cache-Control"] = "private, no-store"
        return response

    return wrapped


def _query(request):
    """The stories a list request asks for, and its page number, or BadRequest saying which parameter is wrong."""
    unknown = sorted(set(request.GET) - {"since", "section", "page"})
    if unknown:
        raise BadRequest(f"unknown parameter(s): {', '.join(unknown)} (expected since, section, page)")
    stories = live_articles()
    since = request.GET.get("since")
    if since is not None:
        try:
            moment = aware_moment(since, "since")
        except InputError as problem:
            raise BadRequest(str(problem)) from None
        stories = stories.filter(last_published_at__gte=moment)
    slug = request.GET.get("section")
    if slug is not None:
        section = SectionPage.objects.live().public().filter(slug=slug).first()
        if section is None:
            known = ", ".join(live_sections().values_list("slug", flat=True))
            raise BadRequest(f"section={slug!r} is not a section (sections: {known})")
        stories = stories.filter(section_page=section)
    try:
        number = page_number(request.GET.get("page"))
    except InputError as problem:
        raise BadRequest(str(problem)) from None
    return stories, number


def _list_state(request):
    """The list's (ETag, Last-Modified), kept per publish: what a list shows changes only with a publish."""
    # Keyed on the parameters as read (a canonical order), never on the raw query string.
    parameters = sorted(request.GET.items())

    def state():
        try:
            stories, number = _query(request)
        except BadRequest:
            return (None, None)  # the view answers 400
        start = (number - 1) * PAGE_SIZE
        return list_state(stories[start : start + PAGE_SIZE + 1], "api", parameters)

    return kept(["api-list-state", settings.DATELINE_SITE_URL, *parameters], state, per_publish=True)


@api_view
@conditional(_list_state, keep_body=True)
def item_list(request):
    stories, number = _query(request)
    paginator = Paginator(stories.select_related("agency", "lead_image"), PAGE_SIZE, allow_empty_first_page=True)
    if number > paginator.num_pages:
        return error(404, f"page {number} is past the last page ({paginator.num_pages})")
    page = paginator.page(number)

    def link(n):
        query = {key: value for key, value in request.GET.items() if key != "page"}
        return absolute(request.path + "?" + urlencode({**query, "page": n}))

    return JsonResponse(
        {
            "standard": {"name": "ninjs", "version": NINJS_VERSION},
            "page": number,
            "pages": paginator.num_pages,
            "count": paginator.count,
            "next": link(number + 1) if page.has_next() else None,
            "previous": link(number - 1) if page.has_previous() else None,
            "items": [story_document(story) for story in page.object_list],
        },
        json_dumps_params=JSON_OPTIONS,
    )


@api_view
def item_detail(request, uri):
    story = find_story(uri, live_articles())
    if story is None:
        return error(404, f"no published story has the uri {uri!r}")
    response = JsonResponse(story_document(story), json_dumps_params=JSON_OPTIONS)
    return response
