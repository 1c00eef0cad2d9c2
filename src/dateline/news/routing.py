"""Finding the page for an address with one query instead of one or two per level of the tree.

Wagtail's own routing reads the site, the site's root page, then each child by slug and each
child's specific row, then the view restrictions of the page and its ancestors: ten queries for
/world/slug/, more for /world/slug/page/2/. Here:

- which page an address names (the deepest page whose stored ``url_path`` starts the address),
  the site for a host name and the view restrictions over a page are kept per publish generation
  (news/fragments.py): a publish, an unpublish, a move, a site's or a restriction's change moves
  the generation (publishing/pipeline.py), so none of them is ever read from an older tree;
- the page itself is read from the database on every request, in one query with what its
  templates read joined in, so whether it is live is never a kept answer.

That page's ``route`` then does the rest exactly as Wagtail would: a story's own routes
(/page/2/, /single/, /print/), a 404 for a page that is not live or a child that is not there.
``serve`` is Wagtail's view with the route found this way, mounted under Wagtail's URL name, so
everything that reverses "wagtail_serve" is unchanged.
"""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.http import Http404, HttpRequest, HttpResponse
from django.http.request import split_domain_port
from wagtail import views as wagtail_views
from wagtail.models import Page, PageViewRestriction, Site
from wagtail.models.sites import get_site_for_hostname

from .fragments import kept, may_keep

# What each page type's templates read besides the page's own row, fetched in the same query.
RELATED: dict[str, tuple[str, ...]] = {
    "articlepage": ("agency", "lead_image", "section_page"),
}
WAGTAIL = object()  # find_route's answer when Wagtail's own routing should decide


def _site(request: HttpRequest) -> Site | None:
    hostname = split_domain_port(request._get_raw_host())[0]  # type: ignore[attr-defined]  # as Wagtail does: no ALLOWED_HOSTS check here
    port = request.get_port()

    def lookup() -> Site | bool:
        try:
            return get_site_for_hostname(hostname, port)
        except Site.DoesNotExist:
            return False  # kept as "no site" (None is "not kept")

    return kept(["site", hostname, port], lookup, per_publish=True) or None


def _address(site: Site, components: list[str]) -> tuple[int, int, int] | bool:
    """(content type, page id, components its address takes) of the deepest page the address starts with."""
    root = next((r.root_path for r in Site.get_site_root_paths() if r.site_id == site.pk), None)
    if root is None:
        return False
    candidates = [root + "".join(f"{part}/" for part in components[:depth]) for depth in range(len(components) + 1)]
    found = (
        Page.objects.filter(url_path__in=candidates)
        .order_by("-depth")
        .values_list("content_type_id", "pk", "url_path")
        .first()
    )
    if found is None:
        return False
    content_type, pk, url_path = found
    return content_type, pk, url_path[len(root) :].count("/")


def _state(pk: int) -> tuple[bool, int | None] | None:
    """Whether the page is live and its live revision, read on every request (one indexed row, no ORM)."""
    table, quote = Page._meta.db_table, connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {quote('live')}, {quote('live_revision_id')} FROM {quote(table)} WHERE id = %s", [pk])
        row = cursor.fetchone()
    return (bool(row[0]), row[1]) if row else None


def _specific(content_type: int, pk: int) -> Page | None:
    """The page as its type, kept per publish and per live revision; None when it is gone."""
    state = _state(pk)
    if state is None:
        return None
    model = ContentType.objects.get_for_id(content_type).model_class()
    if model is None or not issubclass(model, Page):
        return None
    related = RELATED.get(model._meta.model_name or "", ())

    def fetch() -> Any:
        return model._default_manager.select_related(*related).filter(pk=pk).first() or False

    page: Any = kept(["page", pk, *state], fetch, per_publish=True)
    if not page or (page.live, page.live_revision_id) != state:  # changed while it was read: read it again
        return fetch() or None
    return page


def _restrictions(page: Page) -> list[PageViewRestriction]:
    return kept(["view-restrictions", page.path], lambda: list(Page.get_view_restrictions(page)), per_publish=True)


def find_route(request: HttpRequest, path: str) -> Any:
    """What Wagtail's ``Page.route_for_request`` returns (a RouteResult), None for a 404, or WAGTAIL."""
    site = _site(request)
    if site is None:
        return None
    request._wagtail_site = site  # type: ignore[attr-defined]
    components = [component for component in path.split("/") if component]
    address: Any = kept(["address", site.pk, *components], lambda: _address(site, components), per_publish=True)
    if not address:
        return WAGTAIL  # no page by that address, or a site root Wagtail has not listed: its own answer
    content_type, pk, matched = address
    page = _specific(content_type, pk)
    if page is None:
        return WAGTAIL
    page.get_view_restrictions = lambda: _restrictions(page)
    try:
        return page.route(request, components[matched:])
    except Http404:
        return None


def serve(request: HttpRequest, path: str) -> HttpResponse:
    if not hasattr(request, "_wagtail_route_for_request") and may_keep(request):
        route = find_route(request, path)
        if route is not WAGTAIL:
            request._wagtail_route_for_request = route  # type: ignore[attr-defined]
    return wagtail_views.serve(request, path)
