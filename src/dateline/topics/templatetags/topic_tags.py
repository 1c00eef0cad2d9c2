"""An article's topics and its related stories, for the article template."""

from django import template

from dateline.topics.related import page_topics, related_stories

register = template.Library()


@register.inclusion_tag("topics/includes/story_topics.html")
def story_topics(page):
    return {"topics": page_topics(page)}


@register.inclusion_tag("topics/includes/related_stories.html")
def related(page):
    return {"stories": related_stories(page)}
