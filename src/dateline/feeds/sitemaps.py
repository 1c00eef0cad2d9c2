"""Sitemaps: an index, the sections, the authors, the articles month by month, and Google News.

Articles are split by the month they were published in, each month paged at 50,000 URLs, so a
month's sitemap costs the same however old and large the archive grows. The index lists the
months from one grouped query, kept in the cache until the next publish or unpublish.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.core.cache import cache
from django.db.models import Count, Max
from django.utils import timezone
from wagtail.models import Site

from dateline.news.models import Author
from dateline.news.pages import live_articles, live_sections

from .stories import author_url

SITEMAP_LIMIT = 50_000
NEWS_LIMIT = 1_000
NEWS_WINDOW = timedelta(hours=48)


def site_root_prefix() -> str:
    """Wagtail's url_path of the home page ('/home'), which public addresses leave out."""
    site = Site.objects.select_related("root_page").filter(is_default_site=True).first()
    return site.root_page.url_path.rstrip("/") if site else ""


class SiteUrlSitemap(Sitemap):
    """Addresses on DATELINE_SITE_URL (not the request's host), like every canonical link."""

    limit = SITEMAP_LIMIT

    def get_protocol(self, protocol=None):
        return urlsplit(settings.DATELINE_SITE_URL).scheme

    def get_domain(self, site=None):
        return urlsplit(settings.DATELINE_SITE_URL).netloc


class ArticleSitemap(SiteUrlSitemap):
    """The stories first published in one month (site time zone), oldest first."""

    def __init__(self, year: int, month: int):
        self.year, self.month = year, month
        self.prefix = site_root_prefix()

    def items(self):
        zone = timezone.get_current_timezone()
        start = datetime(self.year, self.month, 1, tzinfo=zone)
        end = datetime(self.year + self.month // 12, self.month % 12 + 1, 1, tzinfo=zone)
        return (
            live_articles()
            .filter(published_at__gte=start, published_at__lt=end)
            .order_by("published_at", "pk")
            .values("url_path", "last_published_at")
        )

    def location(self, item) -> str:
        return item["url_path"][len(self.prefix) :]

    def lastmod(self, item):
        return item["last_published_at"]


class PagesSitemap(SiteUrlSitemap):
    """The home page and the sections."""

    changefreq = "hourly"

    def items(self):
        home = [("/", None)]
        sections = [(s.url, s.last_published_at) for s in live_sections()]
        return home + sections

    def location(self, item) -> str:
        return item[0]

    def lastmod(self, item):
        return item[1]


class AuthorSitemap(SiteUrlSitemap):
    """Authors with at least one story on the site."""

    def items(self):
        return Author.objects.filter(article_links__page__live=True).distinct().order_by("name")

    def location(self, author) -> str:
        return author_url(author)


MONTH_KEY = "dateline:sitemap-month:{}"


def _month_bounds(year: int, month: int) -> tuple[datetime, datetime]:
    zone = timezone.get_current_timezone()
    return (datetime(year, month, 1, tzinfo=zone), datetime(year + month // 12, month % 12 + 1, 1, tzinfo=zone))


def _month_summary(year: int, month: int) -> dict:
    """One month's story count (for paging) and newest change, kept until a story of that month changes."""
    key = MONTH_KEY.format(f"{year:04d}-{month:02d}")
    summary = cache.get(key)
    if summary is None:
        start, end = _month_bounds(year, month)
        summary = (
            live_articles()
            .filter(published_at__gte=start, published_at__lt=end)
            .aggregate(count=Count("pk"), lastmod=Max("last_published_at"))
        )
        cache.set(key, summary, timeout=None)
    return summary


def forget_month(moment) -> None:
    """A story of this month was published, changed or unpublished."""
    if moment is not None:
        local = timezone.localtime(moment)
        cache.delete(MONTH_KEY.format(f"{local:%Y-%m}"))


def month_table() -> list[dict]:
    """[{"key": "2026-11", "pages": 1, "lastmod": datetime}], newest month first.

    The first and last months come from the time stamp index; each month's summary is kept in
    the cache until one of its stories changes, so a publish costs one month's count, not the
    archive's."""
    newest = live_articles().values_list("published_at", flat=True).first()
    oldest = live_articles().order_by("published_at").values_list("published_at", flat=True).first()
    if newest is None or oldest is None:
        return []
    newest, oldest = timezone.localtime(newest), timezone.localtime(oldest)
    table, year, month = [], newest.year, newest.month
    while (year, month) >= (oldest.year, oldest.month):
        summary = _month_summary(year, month)
        if summary["count"]:
            table.append(
                {
                    "key": f"{year:04d}-{month:02d}",
                    "pages": -(-summary["count"] // SITEMAP_LIMIT),
                    "lastmod": summary["lastmod"],
                }
            )
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return table


def sitemap_for(section: str) -> Sitemap | None:
    if section == "pages":
        return PagesSitemap()
    if section == "authors":
        return AuthorSitemap()
    if section.startswith("articles-"):
        key = section.removeprefix("articles-")
        # Only months the archive has: any other month would be an empty sitemap stored for nothing.
        if key not in {row["key"] for row in month_table()}:
            return None
        year, month = (int(part) for part in key.split("-"))
        return ArticleSitemap(year, month)
    return None


def news_items():
    """Google News: stories first published in the last 48 hours, newest first, at most 1,000."""
    since = timezone.now() - NEWS_WINDOW
    prefix = site_root_prefix()
    rows = live_articles().filter(published_at__gte=since).values("url_path", "title", "published_at", "language")
    return [
        {
            "loc": settings.DATELINE_SITE_URL + row["url_path"][len(prefix) :],
            "title": row["title"],
            "published": row["published_at"],
            "language": (row["language"] or settings.DATELINE_NEWS_LANGUAGE).split("-")[0].lower(),
        }
        for row in rows[:NEWS_LIMIT]
    ]
