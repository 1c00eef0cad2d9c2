"""WordPress export files (WXR 1.2: what Tools > Export writes) -> one WireStory a published post.

WXR is RSS 2.0 with WordPress's namespaces. The channel lists the authors (``wp:author`` with
``wp:author_login`` and ``wp:author_display_name``); each ``item`` is a post, page, attachment or
menu entry (``wp:post_type``) with ``title``, ``link`` (its permalink), ``guid``, ``dc:creator``
(an author's login), ``content:encoded`` (the post's HTML, paragraphs written WordPress's way: blank
lines, not ``<p>``), ``excerpt:encoded``, ``wp:post_date_gmt`` / ``wp:post_date``, ``wp:post_name``,
``wp:status`` (publish, draft, pending, private, future, trash), ``category`` elements (domain
``category`` or ``post_tag``, with a ``nicename``) and ``wp:postmeta`` (``_thumbnail_id``, the
featured image's attachment id; an attachment's ``_wp_attached_file``, its path under uploads/).

Published posts become stories: categories give the section, tags the tags, the excerpt the
summary, the featured image the lead photo (a path under the uploads folder given with
``--media``), the permalink the address an old link is redirected from. Drafts, trash and
anything that is not a post are skipped, each saying what it is. Pure functions.
"""

from __future__ import annotations

import html as html_lib
import re
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from urllib.parse import urlparse

from ..html import paragraphs_from_html
from ..story import WireError, WirePhoto, WireStory
from .common import NotAStory, printable_byline, tidy_paragraphs
from .xml import child, children, local, parse_xml, text

WP = "{http://wordpress.org/export/1.2/}"
_SHORTCODE_BLOCK = re.compile(r"\[(caption|gallery|embed|video|audio|playlist)\b[^\]]*\].*?\[/\1\]", re.S | re.I)
_SHORTCODE = re.compile(r"\[/?[a-zA-Z_][\w-]*(?:\s[^\]]*)?/?\]")
_BLOCK_TAG = re.compile(r"<(?:p|div|h[1-6]|ul|ol|blockquote|pre|table|figure)\b", re.I)
_GUTENBERG = re.compile(r"<!--\s*/?wp:[^>]*-->")


def _wp(element, name: str) -> str:
    """The text of a wp:NAME child (WXR 1.0-1.2 namespaces all end in /export/1.x/)."""
    for found in element:
        if isinstance(found.tag, str) and local(found) == name and "wordpress.org/export" in (found.tag or ""):
            return (found.text or "").strip()
    return ""


def _ns_text(element, name: str, namespace_part: str) -> str:
    for found in element:
        if isinstance(found.tag, str) and local(found) == name and namespace_part in found.tag:
            return found.text or ""
    return ""


def _meta(item) -> dict[str, str]:
    values = {}
    for meta in item:
        if isinstance(meta.tag, str) and local(meta) == "postmeta":
            values[_wp(meta, "meta_key")] = _wp(meta, "meta_value")
    return values


def wpautop(content: str) -> tuple[str, ...]:
    """A post's content as paragraphs, by WordPress's rules: shortcodes and block comments out; HTML
    that has block elements read as HTML; otherwise a blank line ends a paragraph and a single line
    break stays a line break."""
    content = _GUTENBERG.sub("", content or "")
    content = _SHORTCODE.sub("", _SHORTCODE_BLOCK.sub("", content)).replace("\r\n", "\n").strip()
    if not content:
        return ()
    if _BLOCK_TAG.search(content) and not re.search(r"\n\s*\n", re.sub(r"<[^>]+>", "", content).strip()):
        return paragraphs_from_html(content)
    blocks = [b.strip() for b in re.split(r"\n\s*\n", content) if b.strip()]
    html = "".join(
        block if _BLOCK_TAG.match(block) else "<p>" + block.replace("\n", "<br>") + "</p>" for block in blocks
    )
    return paragraphs_from_html(html)


def _when(item) -> datetime | None:
    gmt = _wp(item, "post_date_gmt")
    if gmt and not gmt.startswith("0000"):
        try:
            return datetime.strptime(gmt, "%Y-%m-%d %H:%M:%S").replace(tzinfo=UTC)
        except ValueError:
            raise WireError(f"wp:post_date_gmt {gmt!r} is not a date") from None
    published = text(child(item, "pubDate"))
    if published:
        try:
            value = parsedate_to_datetime(published)
        except (TypeError, ValueError):
            raise WireError(f"pubDate {published!r} is not a date") from None
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    return None


def parse_items(data: bytes) -> list[tuple[str, WireStory | WireError]]:
    root = parse_xml(data)
    channel = child(root, "channel")
    if local(root) != "rss" or channel is None:
        raise WireError("not a WordPress export: no <rss><channel>")
    authors = {
        _wp(author, "author_login"): _wp(author, "author_display_name") or _wp(author, "author_login")
        for author in children(channel, "author")
    }
    site = text(child(channel, "link"))
    language = text(child(channel, "language"))
    items = children(channel, "item")
    attachments = {_wp(item, "post_id"): item for item in items if _wp(item, "post_type") == "attachment"}
    results: list[tuple[str, WireStory | WireError]] = []
    for position, item in enumerate(items, 1):
        label = f"post {_wp(item, 'post_id') or position}"
        try:
            results.append((label, parse_post(item, authors, attachments, site, language)))
        except WireError as exc:
            results.append((label, exc))
    return results


def parse_post(item, authors: dict[str, str], attachments: dict, site: str = "", language: str = "") -> WireStory:
    kind = _wp(item, "post_type") or "post"
    status = _wp(item, "status") or "publish"
    title = html_lib.unescape(text(child(item, "title")))
    if kind != "post":
        raise NotAStory(f"not a story: a WordPress {kind} ({title or 'untitled'})")
    if status != "publish":
        raise NotAStory(f"not published: a WordPress {status} post ({title or 'untitled'})")
    guid = text(child(item, "guid")) or f"{site}?p={_wp(item, 'post_id')}"
    if not title:
        raise WireError(f"post {guid} has no title")
    paragraphs, keywords, note, trailer = tidy_paragraphs(wpautop(_ns_text(item, "encoded", "/content/")))
    if not paragraphs:
        raise WireError(f"post {guid} ({title}) has no content")
    published = _when(item)
    if published is None:
        raise WireError(f"post {guid} has no wp:post_date_gmt or pubDate")
    login = text(child(item, "creator"))
    name = authors.get(login, login)
    meta = _meta(item)
    photos: tuple[WirePhoto, ...] = ()
    picture = attachments.get(meta.get("_thumbnail_id", ""))
    if picture is not None:
        picture_meta = _meta(picture)
        href = picture_meta.get("_wp_attached_file") or _wp(picture, "attachment_url")
        caption = html_lib.unescape(_ns_text(picture, "encoded", "/excerpt/")).strip() or html_lib.unescape(
            text(child(picture, "title"))
        )
        photos = (WirePhoto(caption=caption, credit=picture_meta.get("_wp_attachment_image_alt", ""), href=href),)
    categories = [c for c in children(item, "category") if c.get("domain") == "category"]
    tags = [html_lib.unescape(text(c)) for c in children(item, "category") if c.get("domain") == "post_tag"]
    link = text(child(item, "link"))
    excerpt = " ".join(html_lib.unescape(re.sub(r"<[^>]+>", "", _ns_text(item, "encoded", "/excerpt/"))).split())
    return WireStory(
        guid=guid,
        headline=title,
        published=published,
        paragraphs=paragraphs,
        summary=excerpt,
        byline=printable_byline(f"By {name}") if name else "",
        authors=(name,) if name else (),
        tags=tuple(dict.fromkeys(tags + list(keywords))),
        photos=photos,
        section_hint=(categories[0].get("nicename") or "") if categories else "",
        old_path=urlparse(link).path if link else "",
        source_url=link,
        ednote=note,
        trailer=trailer,
        language=language or "en",
        source_format="wxr",
        versioned=False,
    )
