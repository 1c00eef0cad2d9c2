"""A published story's pictures, resized when it is published rather than by its first reader.

Wagtail makes a rendition the first time a template asks for it: the first reader of a story, of
every list that shows its thumbnail, of its feed item and of the newsletter that carries it waited
while a photo was decoded and encoded twelve times, and the app server held the decoder's memory.
The publish pipeline (``refresh``) calls ``prepare`` once the story is committed and before its
addresses are purged, so the pages readers are sent next find every rendition made. A picture that
cannot be read is logged and left to the templates' own fallback; it never stops a publish.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from wagtail.images.models import Filter

from dateline.feeds.content import FEED_RENDITION
from dateline.news.images import LEAD_TEASER_RENDITIONS, PHOTO_RENDITIONS, THUMBNAIL_RENDITIONS
from dateline.newsletters.editions import THUMBNAIL as NEWSLETTER_THUMBNAIL

log = logging.getLogger(__name__)

# A story's lead picture is its photo on the article page, its teaser on a front or a list, its
# feed enclosure and its newsletter thumbnail; a photo in the body is a photo on the page and a
# picture in the feeds' items.
LEAD = [
    *Filter.expand_spec(LEAD_TEASER_RENDITIONS),
    *Filter.expand_spec(THUMBNAIL_RENDITIONS),
    *Filter.expand_spec(PHOTO_RENDITIONS),
    FEED_RENDITION,
    NEWSLETTER_THUMBNAIL,
]
BODY = [*Filter.expand_spec(PHOTO_RENDITIONS), FEED_RENDITION]


def wanted(page) -> dict:
    """{image: [filter spec, ...]} for what this story's pages, lists, feeds and newsletters show."""
    specs: dict = {}
    if page.lead_image_id and page.lead_image is not None:
        specs.setdefault(page.lead_image, []).extend(LEAD)
    for block in page.body:
        if block.block_type == "photo" and block.value.get("image") is not None:
            specs.setdefault(block.value["image"], []).extend(BODY)
    return {image: list(dict.fromkeys(found)) for image, found in specs.items()}


def prepare(pages: Iterable) -> None:
    """Make the renditions these live stories show that are not made yet (one look-up per picture
    finds those made already)."""
    for page in pages:
        if not page.live:
            continue
        for image, specs in wanted(page).items():
            try:
                image.get_renditions(*specs)
            except Exception:  # a missing or corrupt file: the reader's request gets Wagtail's fallback
                log.warning(
                    "could not resize picture %s (%s) of story %s", image.pk, image.title, page.pk, exc_info=True
                )
