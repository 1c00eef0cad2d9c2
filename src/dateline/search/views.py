"""/search/: the archive by words, with filters, sorting, marked snippets and paging.

The index is Wagtail's (SQLite FTS5, or PostgreSQL full-text search when DATABASE_URL is
PostgreSQL); engine.py runs the query. Only live stories are searched, so drafts, embargoed
and withdrawn stories are never found.
"""

from __future__ import annotations

from datetime import datetime, time

from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db import DatabaseError
from django.db.models import prefetch_related_objects
from django.http import Http404
from django.template.response import TemplateResponse
from django.utils import timezone
from django.views.decorators.cache import cache_control

from dateline.clients import limited
from dateline.inputs import InputError, page_number
from dateline.news.fragments import kept
from dateline.news.generation import per_publish
from dateline.news.models import ArticleAuthor, Author, SectionPage
from dateline.news.pages import live_articles

from . import engine
from .forms import MAX_QUERY, SearchForm
from .text import query_words, snippet, story_text, suggest

PAGE_SIZE = 10
VOCABULARY_HEADLINES = 2000


def vocabulary() -> set[str]:
    """Words a reader may have meant: topics, tags, sections, authors, recent headlines (cached a publish)."""
    return per_publish("search-vocabulary", _vocabulary)


def _vocabulary() -> set[str]:
    from taggit.models import Tag

    from dateline.topics.models import Topic

    texts = list(live_articles().values_list("title", flat=True)[:VOCABULARY_HEADLINES])
    texts += [name for topic in Topic.objects.all() for name in topic.alias_list()]
    texts += list(Tag.objects.values_list("name", flat=True))
    texts += list(SectionPage.objects.values_list("title", flat=True))
    texts += list(Author.objects.values_list("name", flat=True))
    return {w for text in texts for w in query_words(text) if len(w) > 2}


def _plain_text(story) -> str:
    """A story's text for its snippet, kept with its live revision (reading the body is the costly part);
    live coverage's, which changes with each update and not with the revision, read each time."""
    if story.live_since is not None:
        return story_text(story)
    return kept(["search-text", story.pk, story.live_revision_id], lambda: story_text(story))


def _local_day(day, end: bool) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.max if end else time.min))


@cache_control(private=True)  # one reader's results: a shared cache keeps none
@limited("search", "DATELINE_SEARCH_RATE_LIMIT", "searches")
def search(request):
    form = SearchForm(request.GET or None)
    context = {"form": form, "query": "", "results": None, "notice": "", "suggestion": None}
    if not form.is_bound or not form.is_valid():
        return TemplateResponse(request, "search/search.html", context, status=400 if form.is_bound else 200)
    data = form.cleaned_data
    query = data["q"]
    if len(query) > MAX_QUERY:
        query = query[:MAX_QUERY].rsplit(" ", 1)[0]
        context["notice"] = f"Your search was cut to its first {MAX_QUERY} characters."
    context["query"] = query
    if not query:
        return TemplateResponse(request, "search/search.html", context)

    stories = live_articles()
    if data["section"]:
        section = SectionPage.objects.get(slug=data["section"])
        stories = stories.filter(section_page=section)  # what section_articles() lists
    if data["author"]:
        ids = ArticleAuthor.objects.filter(author__slug=data["author"]).values_list("page_id", flat=True)
        stories = stories.filter(pk__in=list(ids))
    if data["date_from"]:
        stories = stories.filter(published_at__gte=_local_day(data["date_from"], end=False))
    if data["date_to"]:
        stories = stories.filter(published_at__lte=_local_day(data["date_to"], end=True))

    by_date = data["sort"] == "date"
    try:
        try:
            wanted = page_number(request.GET.get("page"))
        except InputError:
            raise Http404("No such page of results") from None
        window = ((wanted - 1) * PAGE_SIZE, wanted * PAGE_SIZE)  # read with the number of hits
        found = engine.search(stories, query, by_date, window)
        paginator = Paginator(found, PAGE_SIZE)
        try:
            page = paginator.page(wanted)
        except PageNotAnInteger:
            raise Http404("No such page of results") from None
        except EmptyPage:
            if paginator.count:
                raise Http404("No such page of results") from None
            page = paginator.page(1)
        hits = list(page.object_list)
    except DatabaseError:
        context["notice"] = (
            'That search could not be read. Try plain words, or a phrase in double quotes ("foreign ministers").'
        )
        return TemplateResponse(request, "search/search.html", context, status=400)

    words = query_words(query)
    prefetch_related_objects(hits, "article_authors__author")  # the bylines: one query, not one a story
    prefetch_related_objects([s.lead_image for s in hits if s.lead_image], "renditions")  # thumbnails: one more
    context["results"] = page
    context["more"] = getattr(found, "more", False)  # only the newest engine.RANKED matches are ranked
    context["ranked"], context["by_date"] = f"{engine.RANKED:,}", by_date
    context["hits"] = [(story, snippet(_plain_text(story), words)) for story in hits]
    if not paginator.count:
        context["suggestion"] = suggest(query, vocabulary())
    context["filter_query"] = request.GET.copy()
    context["filter_query"].pop("page", None)
    return TemplateResponse(request, "search/search.html", context)
