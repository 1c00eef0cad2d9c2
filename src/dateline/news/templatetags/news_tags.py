"""Template tags for news pages: the time stamp, the section menu, the dateline."""

from django import template
from django.conf import settings
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from wagtail.rich_text import expand_db_html

from dateline.news.formatting import format_timestamp, lead_paragraph

register = template.Library()


@register.filter
def dateline_time(value) -> str:
    """'Sun Dec 2, 2012 10:12am EST', in the site's time zone."""
    return format_timestamp(value) if value else ""


@register.simple_tag
def site_zone_name() -> str:
    return str(settings.TIME_ZONE).replace("_", " ")


@register.inclusion_tag("news/includes/section_nav.html", takes_context=True)
def section_nav(context):
    from dateline.news.pages import live_sections

    request = context.get("request")
    current = context.get("page")
    sections = live_sections(menu_only=True)
    current_path = getattr(current, "path", "") or ""
    return {
        "sections": [(section, current_path.startswith(section.path)) for section in sections],
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
