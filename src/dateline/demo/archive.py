"""A large generated archive for benchmarks: N live stories, written in bulk.

Going through Wagtail's publishing (revisions, reference and search index) costs about 0.1 s
a story, 3 hours for 100,000; this writes the same page rows directly (tree paths, URL paths,
live flags, publish times) in batches, about a thousand stories a second. The stories have no
revisions and are not in the search index: they exist to measure lists, feeds and sitemaps.
"""

from __future__ import annotations

import random
import uuid
from datetime import datetime, timedelta

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from wagtail.models import Locale, Page
from wagtail.rich_text import RichText

from dateline.news.models import ArticlePage, Author, SectionPage

WORDS = (
    "harbour council budget minister river court market vote border trade summit envoy season "
    "storm harvest port ferry museum treaty reform tariff pension clinic satellite bridge rail"
).split()
BATCH = 1000


def _path_step(number: int) -> str:
    alphabet, step = Page.alphabet, ""
    for _ in range(Page.steplen):
        number, digit = divmod(number, len(alphabet))
        step = alphabet[digit] + step
    return step


def _sentence(rng: random.Random, words: int) -> str:
    text = " ".join(rng.choice(WORDS) for _ in range(words))
    return text[0].upper() + text[1:] + "."


def _body(rng: random.Random, mention: list[str] | None) -> list:
    paragraphs = [_sentence(rng, 30) for _ in range(4)]
    if mention:
        names = rng.sample(mention, 3)
        paragraphs[1] = f"{names[0]} and {names[1]} met in {names[2]}. " + paragraphs[1]
    return [("paragraph", RichText(f"<p>{text}</p>")) for text in paragraphs]


def generate(
    count: int, per_day: int = 30, end: datetime | None = None, seed: int = 1, mention: list[str] | None = None
) -> int:
    """Add ``count`` live stories, ``per_day`` a day back from ``end`` (default now), across the sections.

    With ``mention``, each story's second paragraph names three of those names (for tagging benchmarks)."""
    sections = list(SectionPage.objects.order_by("path"))
    if not sections:
        raise ValueError("there are no sections: run 'dateline load-demo' first")
    rng = random.Random(seed)
    end = end or timezone.now()
    spacing = timedelta(days=1) / per_day
    content_type = ContentType.objects.get_for_model(ArticlePage)
    locale = Locale.get_default()
    authors = [
        Author.objects.get_or_create(name=f"Archive Reporter {n}", defaults={"slug": f"archive-reporter-{n}"})[0]
        for n in range(20)
    ]
    next_child = {s.pk: s.numchild + 1 for s in sections}
    made = 0
    while made < count:
        batch = min(BATCH, count - made)
        with transaction.atomic():
            pages, details = [], []
            for offset in range(batch):
                n = made + offset
                section = sections[n % len(sections)]
                published = end - spacing * n
                headline = f"Archive story {n}: {_sentence(rng, 6)[:-1]}"
                slug = f"{slugify(headline)[:60]}-{n}"
                step = next_child[section.pk]
                next_child[section.pk] += 1
                pages.append(
                    Page(
                        path=section.path + _path_step(step),
                        depth=section.depth + 1,
                        numchild=0,
                        translation_key=uuid.uuid4(),
                        locale=locale,
                        live=True,
                        has_unpublished_changes=False,
                        first_published_at=published,
                        last_published_at=published,
                        title=headline,
                        draft_title=headline,
                        slug=slug,
                        content_type=content_type,
                        url_path=f"{section.url_path}{slug}/",
                        show_in_menus=False,
                    )
                )
                details.append((published, n, section.pk))
            Page.objects.bulk_create(pages)
            articles = []
            for page, (published, n, section_id) in zip(pages, details, strict=True):
                article = ArticlePage(
                    page_ptr_id=page.pk,
                    published_at=published,
                    dateline="PORT ADLEY",
                    section_page_id=section_id,
                    summary=_sentence(rng, 20),
                    body=_body(rng, mention),
                    source_guid=f"urn:dateline:archive:{n}",
                    source_version=1,
                )
                articles.append(article)
            fields = list(ArticlePage._meta.local_concrete_fields)
            ArticlePage._base_manager._insert(articles, fields=fields, raw=True)
            ArticlePage.article_authors.rel.related_model.objects.bulk_create(
                [
                    ArticlePage.article_authors.rel.related_model(
                        page_id=page.pk, author=authors[n % len(authors)], sort_order=0
                    )
                    for page, (_, n, _) in zip(pages, details, strict=True)
                ]
            )
            for section in sections:
                SectionPage.objects.filter(pk=section.pk).update(numchild=next_child[section.pk] - 1)
        made += batch
    return made
