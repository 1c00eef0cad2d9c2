"""Which public addresses show a story: its own pages and every list it is on.

A list's later pages (``?page=2``) are cached under the list's own address, and purging that
address forgets all of them (publishing/pagecache.py); so a paged list (section, author, tag,
topic) is named whenever the story is on it, on whichever page, and the home page (one page)
and the feeds when the story is among their newest.
"""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from dateline import addresses
from dateline.feeds.stories import FEED_SIZE
from dateline.feeds.syndication import FORMATS as SYNDICATION_FORMATS
from dateline.news.fronts import ROW_DEPTH, pinned_front_urls
from dateline.news.pages import live_articles, section_articles

FORMATS = tuple(SYNDICATION_FORMATS)  # rss, atom, json
# The home page shows its lead, secondaries, a row a section and its latest among the newest 50 (up to
# eight sections; a story deeper than that shows there only in its section's row, named below).
HOME_SIZE = FEED_SIZE
NEWS_SITEMAP_DAYS = 2


def story_urls(article) -> list[str]:
    """The story's own addresses: every page number, the single page and the print page."""
    return article.cached_urls()


def _feeds(kind: str = "site", slug: str = "") -> list[str]:
    return [addresses.feed(fmt, kind, slug) for fmt in FORMATS]


def _list_and_feeds(
    pk: int,
    newest_ids,
    page_url: str,
    kind: str = "site",
    slug: str = "",
    page_size: int | None = None,
    memo: dict | None = None,
) -> list[str]:
    """The list's address (with all its pages), or with ``page_size`` (a list of one page) only if the
    story is among its ``page_size`` newest; its feeds if the story is among theirs.

    ``newest_ids``: a callable giving the list's newest story ids, called only when ``memo`` (the lists
    already read for other stories of the same batch, refresh.stories) does not have them."""
    if memo is not None and (kind, slug) in memo:
        newest = memo[(kind, slug)]
    else:
        newest = list(newest_ids()[:FEED_SIZE])
        if memo is not None:
            memo[(kind, slug)] = newest
    urls = [page_url] if page_size is None or pk in newest[:page_size] else []
    return urls + (_feeds(kind, slug) if pk in newest else [])


def _prefetched(article, name: str) -> bool:
    return name in getattr(article, "_prefetched_objects_cache", {})


def _author_links(article):
    if _prefetched(article, "article_authors"):
        return list(article.article_authors.all())
    return list(article.article_authors.select_related("author"))


def _topic_links(article):
    from dateline.topics.models import StoryTopic

    if _prefetched(article, "story_topics"):
        return list(article.story_topics.all())
    return list(StoryTopic.objects.filter(page_id=article.pk).select_related("topic"))


def _lists(article, wide: bool = False, memo: dict | None = None) -> list[str]:
    """The first pages of lists (HTML pages and feeds) that show the story now.

    ``wide``: every list the story belongs to, shown on it or not (for a story with no record of
    where it was shown). ``memo``: see ``_list_and_feeds``.
    """
    from dateline.topics.related import topic_story_ids

    pk = article.pk
    memo = None if wide else memo

    def listed(newest, url, kind="site", slug="", page_size=None):
        newest = (lambda: [pk]) if wide else newest
        return _list_and_feeds(pk, newest, url, kind, slug, page_size, memo)

    def ids(queryset):
        return queryset.values_list("pk", flat=True)

    # each list's newest are read only when the memo does not have them: hence the lambdas
    urls = listed(lambda: ids(live_articles()), "/", page_size=HOME_SIZE)
    section = article.section_page
    if section is not None and section.live:
        urls += listed(lambda: ids(section_articles(section)), section.url, "section", section.slug)
        # the home page's row for the section (the same newest, read once)
        urls += listed(lambda: ids(section_articles(section)), "/", "section", section.slug, page_size=ROW_DEPTH)
    for link in _author_links(article):
        author = link.author
        urls += listed(
            lambda author=author: ids(live_articles().filter(article_authors__author=author)),
            addresses.author(author.slug),
            "author",
            author.slug,
        )
    for tag in article.tags.all():
        urls += listed(
            lambda slug=tag.slug: ids(live_articles().filter(tags__slug=slug)), addresses.tag(tag.slug), "tag", tag.slug
        )
    for link in _topic_links(article):
        topic = link.topic
        urls += listed(lambda topic=topic: topic_story_ids(topic), topic.url, "topic", topic.slug)
    return urls


def _sitemaps(article) -> list[str]:
    urls = [addresses.sitemap_index()]  # the index carries each month's last change
    if article.published_at:
        urls.append(addresses.month_sitemap(f"{timezone.localtime(article.published_at):%Y-%m}"))
        if article.published_at >= timezone.now() - timedelta(days=NEWS_SITEMAP_DAYS):
            urls.append(addresses.news_sitemap())
    if _author_links(article) if _prefetched(article, "article_authors") else article.article_authors.exists():
        urls.append(addresses.sitemap("authors"))
    return urls


def list_keys(pages, topics: dict[int, dict[int, bool]]) -> list[tuple[str, ...]]:
    """The lists new stories join, as keys for ``list_urls``: from the pages as built (their section,
    authors and tags in memory) and their topics (``topics``: {page id: {topic id: ...}})."""
    from dateline.topics.models import Topic

    keys: set[tuple[str, ...]] = {("site",), ("sitemaps",)}
    topic_ids = {topic for found in topics.values() for topic in found}
    slugs = dict(Topic.objects.filter(pk__in=topic_ids).values_list("pk", "slug")) if topic_ids else {}
    for page in pages:
        section = getattr(page, "_cached_parent_obj", None) or page.section_page
        if section is not None and section.url:
            keys.add(("section", section.slug, section.url))
        keys |= {("author", link.author.slug) for link in page.article_authors.all()}
        keys |= {("tag", tag.slug) for tag in page.tags.all()}
        keys |= {("topic", slugs[topic]) for topic in topics.get(page.pk, {}) if topic in slugs}
        if page.published_at:
            keys.add(("month", f"{timezone.localtime(page.published_at):%Y-%m}"))
    return sorted(keys)


def list_urls(keys) -> list[str]:
    """Every address of the lists named by ``list_keys``: each list with its feeds, and the sitemaps."""
    urls: list[str] = []
    for kind, *rest in keys:
        if kind == "site":
            urls += ["/", *_feeds()]
        elif kind == "sitemaps":
            urls += [addresses.sitemap_index(), addresses.news_sitemap(), addresses.sitemap("authors")]
        elif kind == "section":
            slug, url = rest
            urls += [url, *_feeds("section", slug)]
        elif kind == "month":
            urls.append(addresses.month_sitemap(rest[0]))
        else:  # author, tag, topic
            slug = rest[0]
            page_url = {"author": addresses.author, "tag": addresses.tag, "topic": addresses.topic}[kind](slug)
            urls += [page_url, *_feeds(kind, slug)]
    return list(dict.fromkeys(urls))


def footprint(article, memo: dict | None = None) -> list[str]:
    """Every cached or published address that shows the story as it is now (none when it is not live).

    ``memo``: lists already read for other stories of the same batch (refresh.stories)."""
    if not article.live or article.url is None:
        return []
    urls = story_urls(article) + _lists(article, memo=memo) + _sitemaps(article) + pinned_front_urls(article.pk)
    return list(dict.fromkeys(urls))


def possible_footprint(article) -> list[str]:
    """Every address that could have shown the story: for one taken down with no record of its last publish."""
    if article.url is None:
        return []
    urls = story_urls(article) + _lists(article, wide=True) + _sitemaps(article) + pinned_front_urls(article.pk)
    return list(dict.fromkeys(urls))


def site_urls(recent_days: int | None = None) -> list[str]:
    """Every public address without a query string: what ``publish-static`` writes.

    ``recent_days``: story pages only for stories of the last so many days (every list, feed and
    sitemap still); the server sends the older ones to the app, which renders and caches them.
    """
    from dateline.feeds.sitemaps import month_table
    from dateline.news.models import Author
    from dateline.news.pages import ArticlePageTag, HomePage, live_sections
    from dateline.topics.models import Topic

    urls = [addresses.robots(), addresses.sitemap_index(), addresses.sitemap("pages"), addresses.sitemap("authors")]
    urls += [addresses.news_sitemap(), *(addresses.month_sitemap(month["key"]) for month in month_table())]
    urls += [page.url for page in HomePage.objects.live().public()]
    urls += _feeds()
    for section in live_sections():
        urls += [section.url, *_feeds("section", section.slug)]
    for slug in (
        Author.objects.filter(article_links__page__live=True).distinct().order_by("slug").values_list("slug", flat=True)
    ):
        urls += [addresses.author(slug), *_feeds("author", slug)]
    tags = ArticlePageTag.objects.filter(content_object__live=True).values_list("tag__slug", flat=True)
    for slug in sorted(set(tags)):
        urls += [addresses.tag(slug), *_feeds("tag", slug)]
    for topic in Topic.objects.order_by("slug").only("slug"):
        urls += [topic.url, *_feeds("topic", topic.slug)]
    stories = live_articles()
    if recent_days is not None:
        stories = stories.filter(published_at__gte=timezone.now() - timedelta(days=recent_days))
    for article in stories.iterator(chunk_size=500):
        urls += story_urls(article)
    return list(dict.fromkeys(url for url in urls if url))
