"""Pages that gather stories: by author and by tag."""

from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from taggit.models import Tag

from dateline.news.models import Author
from dateline.news.pages import live_articles, paginate


def author_page(request, slug):
    author = get_object_or_404(Author.objects.select_related("photo"), slug=slug)
    stories = paginate(request, live_articles().filter(article_authors__author=author))
    return TemplateResponse(request, "topics/author_page.html", {
        "author": author, "stories": stories, "feed_kind": "author", "feed_slug": slug, "feed_title": author.name,
    })


def tag_page(request, slug):
    tag = get_object_or_404(Tag, slug=slug)
    stories = paginate(request, live_articles().filter(tags__slug=slug))
    return TemplateResponse(request, "topics/tag_page.html", {
        "tag": tag, "stories": stories, "feed_kind": "tag", "feed_slug": slug, "feed_title": tag.name,
    })
