"""/newsletters/: sign up, confirm, manage, unsubscribe. None of these pages is cached (routes.py).

The sign-up form at the foot of every (cached) page carries no CSRF token. Its POST comes here, is
checked like any form, and when the check fails nothing is done: the reader gets this page's form
with what they typed, and a token, to send again. One-click unsubscribe (RFC 8058) is a POST from a
mail program, with no session and no token: the signed link is its proof.
"""

from __future__ import annotations

from django.conf import settings
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import CsrfViewMiddleware
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt

from dateline.clients import limited

from . import subscribing
from .forms import PreferencesForm, SignUpForm
from .models import NewsletterList
from .tokens import BadLink, open_confirm, open_manage, open_unsubscribe


def _token_checked(request: HttpRequest) -> bool:
    """Whether the POST passes Django's CSRF check (the token and, over HTTPS, the origin). A form with
    no token at all (the footer's) is not checked: it is expected, not an attack worth a warning."""
    if "csrfmiddlewaretoken" not in request.POST or settings.CSRF_COOKIE_NAME not in request.COOKIES:
        return False

    def protected(request: HttpRequest) -> HttpResponse:
        return HttpResponse()

    return CsrfViewMiddleware(protected).process_view(request, protected, (), {}) is None


def _preselected(data) -> list[int]:
    """The lists a link or a page's sign-up box names: ``list=<slug>`` (any number), ``section=<slug>``,
    ``topic=<slug>`` or ``kind=briefing``; only active lists, and nothing for names that match none."""
    wanted = Q(slug__in=data.getlist("list")[:20])
    if data.get("section"):
        wanted |= Q(kind=NewsletterList.Kind.SECTION, section__slug=data["section"][:255])
    if data.get("topic"):
        wanted |= Q(kind=NewsletterList.Kind.TOPIC, topic__slug=data["topic"][:255])
    if data.get("kind") in NewsletterList.Kind.values:
        wanted |= Q(kind=data["kind"])
    return list(NewsletterList.objects.filter(wanted, active=True).values_list("pk", flat=True))


def _bad_link(request: HttpRequest, problem: BadLink) -> HttpResponse:
    return render(request, "newsletters/bad_link.html", {"problem": problem.why}, status=400)


@never_cache
@csrf_exempt
@limited("newsletter-signup", "DATELINE_FORM_RATE_LIMIT", "the newsletter sign-up")
def signup(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        form = SignUpForm(request.POST)
        if not _token_checked(request):  # from a page's footer, or a form left open too long
            chosen = request.POST.getlist("lists") or _preselected(request.POST)
            form = SignUpForm(initial={"email": request.POST.get("email", ""), "lists": chosen})
            return render(request, "newsletters/signup.html", {"form": form, "resend": True})
        if form.is_robot:
            return redirect("newsletters:check-inbox")  # told nothing different
        if form.is_valid():
            subscribing.sign_up(form.cleaned_data["email"], list(form.cleaned_data["lists"]))
            return redirect("newsletters:check-inbox")
        return render(request, "newsletters/signup.html", {"form": form}, status=400)
    form = SignUpForm(initial={"lists": _preselected(request.GET)})
    return render(request, "newsletters/signup.html", {"form": form})


@never_cache
def check_inbox(request: HttpRequest) -> HttpResponse:
    return render(request, "newsletters/check_inbox.html")


@never_cache
@limited("newsletter-links", "DATELINE_FORM_RATE_LIMIT", "newsletter links")
def confirm(request: HttpRequest, token: str) -> HttpResponse:
    """A GET shows what the link will do (mail scanners open links); the reader's POST does it."""
    try:
        opened = open_confirm(token)
    except BadLink as problem:
        return _bad_link(request, problem)
    lists = NewsletterList.objects.filter(pk__in=opened.lists, active=True)
    if request.method == "POST":
        joined = subscribing.confirm(opened.subscriber, opened.lists)
        context = {"joined": joined, "manage_url": subscribing.manage_url(opened.subscriber)}
        return render(request, "newsletters/confirmed.html", context)
    return render(request, "newsletters/confirm.html", {"lists": lists, "email": opened.subscriber.email})


@never_cache
@limited("newsletter-links", "DATELINE_FORM_RATE_LIMIT", "newsletter links")
def manage(request: HttpRequest, token: str) -> HttpResponse:
    try:
        subscriber = open_manage(token)
    except BadLink as problem:
        return _bad_link(request, problem)
    saved = False
    if request.method == "POST":
        form = PreferencesForm(request.POST)
        if request.POST.get("action") == "unsubscribe":
            subscribing.unsubscribe(subscriber)
            return render(request, "newsletters/unsubscribed.html", {"manage_url": request.path, "lists": []})
        if form.is_valid():
            subscribing.set_preferences(subscriber, list(form.cleaned_data["lists"]), form.cleaned_data["paused"])
            saved = True
    else:
        form = PreferencesForm(initial={"lists": list(subscriber.lists.all()), "paused": subscriber.paused})
    status = 400 if form.errors else 200
    context = {"form": form, "email": subscriber.email, "saved": saved}
    return render(request, "newsletters/manage.html", context, status=status)


@never_cache
@csrf_exempt  # RFC 8058: the mail program POSTs "List-Unsubscribe=One-Click", with no session or token
@limited("newsletter-links", "DATELINE_FORM_RATE_LIMIT", "newsletter links")
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    try:
        opened = open_unsubscribe(token)
    except BadLink as problem:
        return _bad_link(request, problem)
    newsletter_id = opened.lists[0] if opened.lists else None
    lists = NewsletterList.objects.filter(pk=newsletter_id) if newsletter_id else NewsletterList.objects.none()
    if request.method == "POST":
        subscribing.unsubscribe(opened.subscriber, newsletter_id)
        context = {"lists": lists, "manage_url": subscribing.manage_url(opened.subscriber)}
        return render(request, "newsletters/unsubscribed.html", context)
    return render(request, "newsletters/unsubscribe.html", {"lists": lists, "email": opened.subscriber.email})
