"""An article's own addresses: its first page, /page/<n>/, /single/ and /print/ (Wagtail's routable pages);
for live coverage (news/live.py) also /updates/ (what readers' pages poll) and /updates/<id>/.

The e-mail form under a story (/email/) is the reader app's, in its own URLconf.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from wagtail.contrib.routable_page.models import RoutablePageMixin, path, re_path

from dateline.inputs import PAGE_NUMBER_PATTERN

from .blocks import block_word_count
from .paging import split_pages, without_breaks

if TYPE_CHECKING:
    from wagtail.blocks import StreamValue


def _is_break(block: Any) -> bool:
    return block.block_type == "page_break"


@functools.lru_cache(maxsize=1024)
def _subpage(page_class: type, name: str, args: tuple) -> str:
    """A route's path under its page ("page/2/"): the same for every page of a class, worked out once."""
    return page_class.reverse_subpage(page_class, name, args=args)  # type: ignore[attr-defined]


class ArticleRoutes(RoutablePageMixin):
    """Mixed into ArticlePage: the routes, the addresses they answer at, and the pages they show."""

    url: str | None
    body: StreamValue

    @path("", name="page_one")
    def page_one(self, request: HttpRequest) -> HttpResponse:
        from . import views

        return views.article_page(request, self, 1)

    # One spelling of each page number: "/page/0002/" is not a second copy of "/page/2/" in a cache.
    @re_path(rf"^page/(?P<number>{PAGE_NUMBER_PATTERN})/$", name="numbered_page")
    def numbered_page(self, request: HttpRequest, number: str) -> HttpResponse:
        from . import views

        if number == "1":
            return redirect(self.page_url(1), permanent=True)
        return views.article_page(request, self, int(number))

    @path("single/", name="single")
    def single(self, request: HttpRequest) -> HttpResponse:
        from . import views

        return views.article_page(request, self, None)

    @path("print/", name="print")
    def print_view(self, request: HttpRequest) -> HttpResponse:
        from . import views

        return views.print_page(request, self)

    @path("updates/", name="live_updates")
    def live_updates_view(self, request: HttpRequest) -> HttpResponse:
        from . import views

        return views.live_updates(request, self)

    @re_path(r"^updates/(?P<update_id>[1-9][0-9]{0,18})/$", name="live_update")
    def live_update_view(self, request: HttpRequest, update_id: str) -> HttpResponse:
        from . import views

        return views.live_update(request, self, int(update_id))

    def story_context(self, request: HttpRequest, **extra: Any) -> dict[str, Any]:
        """What every view of the story shows: the page's own context, its canonical address and lead photo."""
        context: dict[str, Any] = self.get_context(request)
        context.update(canonical_url=self.canonical_url(), lead_photo=self.lead_photo, **extra)
        return context

    # The story's pages -------------------------------------------------------------------------

    def story_pages(self) -> list[list[Any]]:
        """The body as reader pages: at editors' breaks, and where a page passes DATELINE_PAGE_WORDS."""
        return split_pages(self.body, settings.DATELINE_PAGE_WORDS, block_word_count, _is_break)

    def whole_body(self) -> list[Any]:
        """Every block but the page breaks: the single page, the print page, feeds and e-mail."""
        return without_breaks(list(self.body), _is_break)

    # Its addresses, each from a named route ------------------------------------------------------

    def own_url(self) -> str:
        """The story's address (``page.url``), worked out once for the instance while its place in the
        tree (``url_path``) stays the same: a request asks for it five times, and each of Wagtail's
        answers reads the sites' root paths again."""
        memo = self.__dict__.get("_own_url")
        if memo is None or memo[0] != self.url_path:
            memo = self.__dict__["_own_url"] = (self.url_path, self.url or "")
        return memo[1]

    def _route(self, name: str, *args: Any) -> str:
        return self.own_url() + _subpage(type(self), name, args)  # type: ignore[arg-type]

    def page_url(self, number: int) -> str:
        return self._route("page_one") if number == 1 else self._route("numbered_page", number)

    @property
    def single_url(self) -> str:
        return self._route("single")

    @property
    def print_url(self) -> str:
        return self._route("print")

    def get_cached_paths(self) -> list[str]:
        """Every address the story answers at, relative to its own (Wagtail's frontend cache reads this)."""
        count = len(self.story_pages())
        routes = [("page_one",), *(("numbered_page", n) for n in range(2, count + 1)), ("single",), ("print",)]
        if getattr(self, "live_since", None) is not None:  # live coverage: the poll and each update's page
            routes.append(("live_updates",))
            routes += [("live_update", str(pk)) for pk in self.live_updates.values_list("pk", flat=True)]
        return ["/" + self.reverse_subpage(name, args=args) for name, *args in routes]

    def cached_urls(self) -> list[str]:
        """The same as site paths: '/world/slug/', '/world/slug/page/2/', ..."""
        base = self.url
        if not base:
            return []
        return [base.rstrip("/") + path for path in self.get_cached_paths()]
