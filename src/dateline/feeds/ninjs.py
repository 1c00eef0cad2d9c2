"""A story as an IPTC ninjs 2.1 document (the content API's format).

The document states its standard and version; every story validates against the official
ninjs 2.1 JSON schema. It carries what Dateline's ninjs parser reads back: headline, byline,
dateline (``located``), agency (``copyrightholder``), times, body paragraphs, summary, subjects
and the photos as associations with caption and credit.
"""

from __future__ import annotations

from django.conf import settings
from django.db.models import Max

from dateline import addresses
from dateline.news.formatting import plain_text

from .content import Picture, absolute, lead_picture, live_updates_html, paragraphs, picture
from .identity import story_uri

NINJS_VERSION = "2.1"
NINJS_SCHEMA = "http://www.iptc.org/std/ninjs/ninjs-schema_2.1.json"


def _time(value) -> str:
    return value.isoformat(timespec="seconds") if value else ""


def _association(name: str, uri: str, pic: Picture | None, caption: str, credit: str) -> dict:
    item: dict[str, object] = {"name": name, "uri": uri, "type": "picture"}
    if caption:
        item["descriptions"] = [{"role": "caption", "value": caption, "contenttype": "text/plain"}]
    if credit:
        item["by"] = credit
    if pic is not None:
        item["renditions"] = [
            {"name": "web", "href": pic.url, "contenttype": pic.mime_type, "width": pic.width, "height": pic.height}
        ]
    return item


def associations(page) -> list[dict]:
    uri = story_uri(page)
    photos = []
    lead = lead_picture(page)
    if lead or page.lead_caption:
        photos.append((lead, lead.caption if lead else page.lead_caption, lead.credit if lead else page.lead_credit))
    for block in page.body:
        if block.block_type == "photo":
            pic = picture(block.value["image"], block.value["caption"], block.value["credit"])
            photos.append(
                (pic, pic.caption if pic else block.value["caption"], pic.credit if pic else block.value["credit"])
            )
    return [
        _association(f"photo{n}", f"{uri}#photo{n}", pic, caption, credit)
        for n, (pic, caption, credit) in enumerate(photos, 1)
    ]


def story_document(page) -> dict:
    published = page.display_time
    modified = page.updated_at or published
    if getattr(page, "live_since", None) is not None:  # a live story changes with each update
        latest = page.live_updates.aggregate(posted=Max("posted_at"), edited=Max("edited_at"))
        modified = max([m for m in (modified, latest["posted"], latest["edited"]) if m is not None], default=None)
    body = "".join(paragraphs(page)) + live_updates_html(page)  # a live story: its updates, newest first
    document = {
        "uri": story_uri(page),
        "standard": {"name": "ninjs", "version": NINJS_VERSION, "schema": NINJS_SCHEMA},
        "type": "text",
        "version": str(max(page.source_version, 1)),
        "firstcreated": _time(published),
        "versioncreated": _time(max(modified, published)),
        "pubstatus": "usable",
        "language": page.language or settings.LANGUAGE_CODE.split("-")[0],
        "headlines": [{"role": "main", "value": page.title, "contenttype": "text/plain"}],
        "bodies": [
            {
                "role": "main",
                "value": body,
                "contenttype": "text/html",
                "charcount": len(plain_text(body)),
                "wordcount": len(plain_text(body).split()),
            }
        ],
        "renditions": [{"name": "web", "href": page.canonical_url(), "contenttype": "text/html"}],
    }
    if page.summary:
        document["descriptions"] = [{"role": "summary", "value": page.summary, "contenttype": "text/plain"}]
    if page.byline:
        document["by"] = page.byline
    if page.dateline:
        document["located"] = page.dateline
    if page.agency_id:
        document["copyrightholder"] = page.agency.name
    if page.slugline:
        document["slugline"] = page.slugline
    if page.urgency is not None:
        document["urgency"] = page.urgency
    people = [
        {"name": author.name, "rel": "author", "uri": absolute(addresses.author(author.slug))}
        for author in page.authors
    ]
    if people:
        document["people"] = people
    subjects = [{"name": page.section.title, "rel": "section"}] + [{"name": tag.name} for tag in page.tags.all()]
    document["subjects"] = subjects
    photos = associations(page)
    if photos:
        document["associations"] = photos
    return document
