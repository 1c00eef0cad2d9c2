"""A story as feeds and the content API carry it: absolute links, full text, the lead photo."""

from __future__ import annotations

import mimetypes
import re
from dataclasses import dataclass

from django.conf import settings
from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import mark_safe
from wagtail.rich_text import expand_db_html

from dateline.news.formatting import format_timestamp, lead_paragraph
from dateline.news.live import PAGE_UPDATES

FEED_RENDITION = "max-1200x900"
_RELATIVE = re.compile(r'(href|src)="/(?!/)')


def absolute(url: str) -> str:
    return url if "://" in url else settings.DATELINE_SITE_URL + url


def absolute_links(html: str) -> str:
    return _RELATIVE.sub(lambda m: f'{m[1]}="{settings.DATELINE_SITE_URL}/', html)


@dataclass(frozen=True)
class Picture:
    url: str  # absolute
    width: int
    height: int
    mime_type: str
    length: int  # bytes
    caption: str
    credit: str


def picture(image, caption: str = "", credit: str = "") -> Picture | None:
    if image is None:
        return None
    rendition = image.get_rendition(FEED_RENDITION)
    try:
        length = rendition.file.size
    except OSError:
        length = 0
    mime = mimetypes.guess_type(rendition.file.name)[0] or "image/jpeg"
    return Picture(
        absolute(rendition.url),
        rendition.width,
        rendition.height,
        mime,
        length,
        caption or image.caption,
        credit or image.credit,
    )


def lead_picture(page) -> Picture | None:
    """The lead photo's rendition, looked up once a page however many outputs use it."""
    if "_lead_picture" not in page.__dict__:
        page.__dict__["_lead_picture"] = picture(page.lead_image, page.lead_caption, page.lead_credit)
    return page.__dict__["_lead_picture"]


def paragraphs(page) -> list[str]:
    """The story's paragraphs as HTML, without the dateline (the ninjs API carries it apart)."""
    return [
        absolute_links(expand_db_html(block.value.source)) for block in page.body if block.block_type == "paragraph"
    ]


def block_html(block) -> str:
    """A paragraph, quote or photo of a body as a feed reader gets it; "" for any other block."""
    kind, value = block.block_type, block.value
    if kind == "paragraph":
        return absolute_links(expand_db_html(value.source))
    if kind == "quote":
        cite = format_html("<footer>{}</footer>", value["attribution"]) if value["attribution"] else ""
        return format_html("<blockquote><p>{}</p>{}</blockquote>", value["quote"], cite)
    if kind == "photo":
        return _figure(picture(value["image"], value["caption"], value["credit"]), value["caption"], value["credit"])
    return ""


def story_html(page) -> str:
    """The whole story as HTML for a feed reader: dateline, paragraphs, quotes, photos."""
    parts, first = [], True
    for block in page.body:
        html = block_html(block)
        if block.block_type == "paragraph":
            if first and page.dateline_lead:
                html = lead_paragraph(html, escape(page.dateline_lead))
            first = False
        if html:
            parts.append(html)
    lead = lead_picture(page)
    if lead or page.lead_caption:
        parts.append(_figure(lead, page.lead_caption, page.lead_credit))
    live = live_updates_html(page)
    if live:
        parts.append(live)
    return "\n".join(parts)


def update_html(update) -> str:
    """One live update as feeds and the API carry it: its time, author, headline and blocks."""
    parts: list[str] = [
        format_html(
            '<p><time datetime="{}">{}</time>{}{}</p>',
            update.posted_at.isoformat(timespec="seconds"),
            format_timestamp(update.posted_at),
            format_html(" – {}", update.author.name) if update.author_id else "",
            " (edited)" if update.edited_at else "",
        )
    ]
    if update.headline:
        parts.append(format_html("<h3>{}</h3>", update.headline))
    for block in update.body:
        value = block.value
        if block.block_type == "story_link" and value["page"] is not None and value["page"].live:
            target = value["page"].specific
            parts.append(format_html('<p><a href="{}">{}</a></p>', absolute(target.url), value["text"] or target.title))
        elif html := block_html(block):
            parts.append(html)
    return format_html('<section id="{}">{}</section>', update.anchor, mark_safe("".join(parts)))


def live_updates_html(page) -> str:
    """A live story's updates, newest first (at most what its page shows); empty for any other story."""
    if getattr(page, "live_since", None) is None:
        return ""
    updates = page.live_updates.newest_first().select_related("author")[:PAGE_UPDATES]
    return format_html_join("\n", "{}", ((update_html(update),) for update in updates))


def _figure(pic: Picture | None, caption: str, credit: str) -> str:
    caption = pic.caption if pic else caption
    credit = pic.credit if pic else credit
    text = format_html("{}{}", caption, format_html(" ({})", credit) if credit else "")
    if pic is None:
        return format_html("<figure><figcaption>{}</figcaption></figure>", text)
    return format_html(
        '<figure><img src="{}" width="{}" height="{}" alt=""><figcaption>{}</figcaption></figure>',
        pic.url,
        pic.width,
        pic.height,
        text,
    )
