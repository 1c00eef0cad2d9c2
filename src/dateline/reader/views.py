"""Views behind the reader toolbar: paged, single and print views and Email This Article."""

from datetime import timedelta
from email.utils import formataddr

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.utils import timezone

from dateline.news.blocks import block_word_count

from .forms import EmailStoryForm
from .models import SentStoryEmail
from .paging import split_pages, without_breaks
from .ratelimit import client_key, over_limit
from .share import share_links

# How long the log of sent stories (the rate limiter's memory) is kept.
KEEP_LOG = timedelta(days=1)


def _is_break(block) -> bool:
    return block.block_type == "page_break"


def story_pages(article) -> list[list]:
    return split_pages(article.body, settings.DATELINE_PAGE_WORDS, block_word_count, _is_break)


def _context(request, article, **extra):
    context = article.get_context(request)
    canonical = article.canonical_url()
    context.update(
        canonical_url=canonical,
        share_links=share_links(canonical, article.headline),
        lead_photo=article.lead_photo,
        **extra,
    )
    return context


def article_page(request, article, number: int | None):
    """Page ``number`` of the story, or the whole story on one page when ``number`` is None."""
    pages = story_pages(article)
    if number is None:
        blocks, page_count = without_breaks(list(article.body), _is_break), len(pages)
        canonical_suffix = "single/"
    else:
        if not 1 <= number <= len(pages):
            raise Http404(f"This story has {len(pages)} page(s)")
        blocks, page_count = pages[number - 1], len(pages)
        canonical_suffix = "" if number == 1 else f"page/{number}/"
    context = _context(
        request,
        article,
        blocks=blocks,
        page_number=number,
        page_count=page_count,
        single=number is None,
        page_canonical_url=article.canonical_url(canonical_suffix),
        prev_url=article.page_url(number - 1) if number and number > 1 else None,
        next_url=article.page_url(number + 1) if number and number < page_count else None,
        # The lead photo and the first paragraph's dateline belong to the story's start.
        first_page=number in (None, 1),
    )
    return TemplateResponse(request, "news/article_page.html", context)


def print_page(request, article):
    context = _context(request, article, blocks=without_breaks(list(article.body), _is_break), first_page=True)
    return TemplateResponse(request, "reader/print.html", context)


def email_story(request, article):
    form = EmailStoryForm(request.POST or None)
    problem = None
    status = 200
    if request.method == "POST":
        if form.is_robot:
            problem = "Your message was not sent. Please leave the last field empty and try again."
            status = 400
        elif form.is_valid():
            data = form.cleaned_data
            client = client_key(request)
            with transaction.atomic():
                problem = over_limit(client, data["sender_email"], len(data["recipients"]))
                if problem is None:
                    SentStoryEmail.objects.filter(sent_at__lt=timezone.now() - KEEP_LOG).delete()
                    SentStoryEmail.objects.create(
                        page=article, client=client, sender=data["sender_email"], recipients=len(data["recipients"])
                    )
            if problem is None:
                _send(request, article, data)
                request.session["email_sent_to"] = len(data["recipients"])
                return redirect(article.url + "email/sent/")
            status = 429
        else:
            status = 400
    context = _context(request, article, form=form, problem=problem)
    return TemplateResponse(request, "reader/email_form.html", context, status=status)


def email_sent(request, article):
    count = request.session.pop("email_sent_to", None)
    return TemplateResponse(request, "reader/email_sent.html", _context(request, article, sent_to=count))


def _send(request, article, data) -> None:
    context = {
        "article": article,
        "url": article.canonical_url(),
        "sender_name": data["sender_name"],
        "sender_email": data["sender_email"],
        "note": data["note"],
        "site_name": settings.DATELINE_SITE_NAME,
    }
    subject = f"{data['sender_name']} sent you a story: {article.headline}"
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string("reader/email/story.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=data["recipients"],
        reply_to=[formataddr((data["sender_name"], data["sender_email"]))],
    )
    message.attach_alternative(render_to_string("reader/email/story.html", context), "text/html")
    message.send()
