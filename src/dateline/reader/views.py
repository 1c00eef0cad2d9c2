"""Email This Article: the form under every story (/<section>/<slug>/email/) and its thank-you page."""

import logging
import smtplib
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Site

from dateline.clients import limited
from dateline.news.identity import site_name

from .forms import MAX_RECIPIENTS, EmailStoryForm
from .models import SentStoryEmail
from .ratelimit import client_key, over_limit


def email_url(article) -> str:
    return reverse("reader:email-story", kwargs={"story_path": article.url.lstrip("/")})


def email_sent_url(article) -> str:
    return reverse("reader:email-sent", kwargs={"story_path": article.url.lstrip("/")})


log = logging.getLogger(__name__)

# How long the log of sent stories (the rate limiter's memory) is kept.
KEEP_LOG = timedelta(days=1)


def story_at(request: HttpRequest, story_path: str):
    """The live, public story whose address is /STORY_PATH (as Wagtail would route it), or 404."""
    from dateline.news.models import ArticlePage

    site = Site.find_for_request(request)
    if site is None:
        raise Http404("No site answers at this host")
    url_path = site.root_page.url_path + story_path
    article = ArticlePage.objects.live().public().filter(url_path=url_path).first()
    if article is None:
        raise Http404("No such story")
    return article


@limited("email-form", "DATELINE_FORM_RATE_LIMIT", "the e-mail form")
def email_story(request: HttpRequest, story_path: str) -> HttpResponse:
    article = story_at(request, story_path)
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
            # One transaction: the message counts against the limits only once it has been written
            # (a failure to send rolls the count back).
            try:
                with transaction.atomic():
                    problem = over_limit(client, data["sender_email"], len(data["recipients"]))
                    if problem is None:
                        SentStoryEmail.objects.filter(sent_at__lt=timezone.now() - KEEP_LOG).delete()
                        SentStoryEmail.objects.create(
                            page=article,
                            client=client,
                            sender=data["sender_email"],
                            recipients=len(data["recipients"]),
                        )
                        _send(request, article, data)
            except (OSError, smtplib.SMTPException):
                log.exception("e-mailing a story failed; the reader was asked to try again")
                problem = "Your message could not be sent just now. Please try again in a few minutes."
                response = TemplateResponse(
                    request,
                    "reader/email_form.html",
                    article.story_context(request, form=form, problem=problem, email_url=email_url(article)),
                    status=503,
                )
                response["Cache-Control"] = "private, no-store"
                response["Retry-After"] = "120"
                return response
            if problem is None:
                # The count travels in the address, not a session: a reader who only sent a story
                # gets no session cookie (which would keep them out of the page cache for weeks).
                return redirect(f"{email_sent_url(article)}?sent={len(data['recipients'])}")
            status = 429
        else:
            status = 400
    context = article.story_context(request, form=form, problem=problem, email_url=email_url(article))
    response = TemplateResponse(request, "reader/email_form.html", context, status=status)
    response["Cache-Control"] = "private, no-store"
    return response


def email_sent(request: HttpRequest, story_path: str) -> HttpResponse:
    article = story_at(request, story_path)
    raw = request.GET.get("sent", "")
    count = int(raw) if raw.isascii() and raw.isdigit() and 0 < len(raw) <= 2 else None
    if count is not None and not 0 < count <= MAX_RECIPIENTS:
        count = None
    response = TemplateResponse(request, "reader/email_sent.html", article.story_context(request, sent_to=count))
    response["Cache-Control"] = "private, no-store"
    return response


def _send(request, article, data) -> None:
    context = {
        "article": article,
        "url": article.canonical_url(),
        "sender_name": data["sender_name"],
        "sender_email": data["sender_email"],
        "note": data["note"],
        "site_name": site_name(),
    }
    # The sender's name and note are in the body only: a Subject or a display name chosen by a
    # stranger ("claim your prize at ...") would turn the site into a spam relay.
    message = EmailMultiAlternatives(
        subject=f"A story from {site_name()}: {article.headline}",
        body=render_to_string("reader/email/story.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=data["recipients"],
        reply_to=[data["sender_email"]],
    )
    message.attach_alternative(render_to_string("reader/email/story.html", context), "text/html")
    message.send()
