"""Template tags for news pages: the time stamp, the section menu, the dateline."""

from datetime import datetime
from zoneinfo import ZoneInfo

from django import template
from django.conf import settings
from django.template.loader import get_template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from wagtail.rich_text import expand_db_html

from dateline import addresses
from dateline.news.formatting import format_timestamp, lead_paragraph
from dateline.news.fragments import PER_PUBLISH, kept, may_keep

register = template.Library()


@register.filter
def dateline_time(value) -> str:
    """'Sun Dec 2, 2012 10:12am EST', in the site's time zone."""
    return format_timestamp(value) if value else ""


@register.simple_tag
def byline_links(story):
    """The byline with each named author linked to their page ("By A, B and C"); an agency's byline
    with no known author is shown as written."""
    authors = story.authors
    if not authors:
        return story.byline_text
    links = [format_html('<a href="{}" rel="author">{}</a>', addresses.author(a.slug), a.name) for a in authors]
    if len(links) == 1:
        return format_html("By {}", links[0])
    rest = format_html_join(", ", "{}", ((link,) for link in links[:-1]))
    return format_html("By {} and {}", rest, links[-1])


@register.simple_tag
def site_zone_note() -> str:
    """The footer's note on times, for people: "All times are New York time (EST/EDT)."."""
    return zone_note(str(settings.TIME_ZONE))


def zone_note(name: str) -> str:
    zone = ZoneInfo(name)
    year = datetime.now(zone).year
    names = []
    for month in (1, 7):  # winter and summer (either hemisphere): both names where the clocks change
        abbreviation = datetime(year, month, 1, 12, tzinfo=zone).tzname() or ""
        abbreviation = "UTC" + abbreviation if abbreviation[:1] in "+-" else abbreviation
        if abbreviation and abbreviation not in names:
            names.append(abbreviation)
    place = name.rsplit("/", 1)[-1].replace("_", " ")
    if place in names or place.upper() in ("UTC", "GMT", "ETC"):
        return f"All times are {'/'.join(names) or place}."
    return f"All times are {place} time ({'/'.join(names)})."


def _menu_sections() -> list[tuple[str, str, str]]:
    from dateline.news.pages import live_sections

    return [(section.path, section.url or "", section.title) for section in live_sections(menu_only=True)]


@register.inclusion_tag("news/includes/section_nav.html", takes_context=True)
def section_nav(context):
    """The section menu: read once a publish (a section published, moved or renamed is a publish)."""
    request = context.get("request")
    current = context.get("page")
    sections = kept(["section-menu"], _menu_sections, per_publish=True) if may_keep(request) else _menu_sections()
    current_path = getattr(current, "path", "") or ""
    return {
        "sections": [
            ({"url": url, "title": title}, bool(current_path) and current_path.startswith(path))
            for path, url, title in sections
        ],
        "request": request,
    }


@register.simple_tag
def dateline_paragraph(article, block):
    """The story's first paragraph, led by its dateline: 'BRUSSELS (Reuters) - '."""
    html = expand_db_html(block.value.source)
    if not article.dateline:
        return mark_safe(html)
    span = format_html('<span class="story__dateline">{}</span>', article.dateline_lead)
    return mark_safe(lead_paragraph(html, span))


class KeptNode(template.Node):
    def __init__(self, nodelist, parts, per_publish: bool):
        self.nodelist, self.parts, self.per_publish = nodelist, parts, per_publish

    def render(self, context) -> str:
        if not may_keep(context.get("request")):
            return self.nodelist.render(context)
        parts = [part.resolve(context) for part in self.parts]
        return kept(parts, lambda: self.nodelist.render(context), self.per_publish)


@register.tag
def kept_fragment(parser, token):
    """``{% kept_fragment [per_publish] "name" var ... %}...{% endkept_fragment %}``: see news/fragments.py.

    The name and the variables are the key: name everything the fragment shows that can change.
    """
    bits = token.split_contents()[1:]
    per_publish = bool(bits) and bits[0] == PER_PUBLISH
    if per_publish:
        bits = bits[1:]
    if not bits:
        raise template.TemplateSyntaxError("kept_fragment needs a name")
    nodelist = parser.parse(("endkept_fragment",))
    parser.delete_first_token()
    return KeptNode(nodelist, [parser.compile_filter(bit) for bit in bits], per_publish)


@register.simple_tag(takes_context=True)
def teaser(context, story, lead: bool = False, level: int = 3):
    """A story's teaser in a list, kept with its live revision and address.

    ``story`` is a page, or a row of ``pages.story_refs`` (the page is read only when its teaser is
    not kept yet). A publish elsewhere, which renders the list again, renders no teaser again.
    """
    from dateline.news.pages import ArticlePage

    def render() -> str:
        page = story
        if not isinstance(page, ArticlePage):
            page = ArticlePage.objects.select_related("lead_image").get(pk=story.pk)
        return get_template("news/includes/story_teaser.html").render(
            {"story": page, "lead": lead, "level": level}, context.get("request")
        )

    if not may_keep(context.get("request")):
        return mark_safe(render())
    return mark_safe(kept(["teaser", story.pk, story.live_revision_id, story.url_path, lead, level], render))
