"""The admin's Fronts screen: each front's lead and secondary slots, what fills them now, and one
button to pin or to unpin. Pins need the right to publish the front they change (Wagtail's page
permissions); every pin and unpin is in Wagtail's audit log."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST
from wagtail.log_actions import log
from wagtail.models import Page

from . import fronts
from .pages import ArticlePage, HomePage, SectionPage, live_articles

CHOICES = 50  # the newest stories offered for a front's slots (any live story can be named by ?story=)


def _fronts() -> list[Page]:
    homes = list(HomePage.objects.all())
    sections = list(SectionPage.objects.order_by("path"))
    return [*homes, *sections]


def _can_pin(user, front: Page) -> bool:
    return front.permissions_for_user(user).can_publish()


def index(request: HttpRequest) -> HttpResponse:
    chosen = None
    if (story_id := request.GET.get("story", "")).isdigit():
        chosen = live_articles().filter(pk=int(story_id)).first()
    rows = []
    for front in _fronts():
        if isinstance(front, HomePage):
            shown, candidates = fronts.compose(front, live_articles().descendant_of(front)), live_articles()
        else:
            shown, candidates = fronts.section_front(front), live_articles().filter(section_page=front)
        titles = dict(ArticlePage.objects.filter(pk__in=shown.shown()).values_list("pk", "title"))
        slots = [("Lead", shown.lead)] + [(f"Secondary {n}", ref) for n, ref in enumerate(shown.secondaries, 1)]
        choices = list(candidates.values_list("pk", "title")[:CHOICES])
        if chosen is not None and chosen.pk not in dict(choices):
            choices.insert(0, (chosen.pk, chosen.title))
        rows.append(
            {
                "front": front,
                "can_pin": _can_pin(request.user, front),
                "slots": [
                    {
                        "label": label,
                        "story_id": ref.pk,
                        "title": titles.get(ref.pk, ""),
                        "pinned": ref.pk in shown.pinned,
                    }
                    for label, ref in slots
                    if ref is not None
                ],
                "choices": choices,
            }
        )
    return TemplateResponse(
        request,
        "news/admin/fronts.html",
        {"rows": rows, "chosen": chosen, "slots": fronts.FrontPick.Slot.choices, "secondaries": fronts.SECONDARIES},
    )


def _back(request: HttpRequest) -> HttpResponse:
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = reverse("news_fronts")
    return redirect(target or reverse("news_fronts"))


def _front_and_story(request: HttpRequest) -> tuple[Page, ArticlePage] | None:
    front_id, story_id = request.POST.get("front", ""), request.POST.get("story", "")
    if not (front_id.isdigit() and story_id.isdigit()):
        messages.error(request, "Choose a front and a story to pin.")
        return None
    front = Page.objects.filter(pk=int(front_id)).first()
    front = front.specific if front is not None else None
    if not isinstance(front, HomePage | SectionPage):
        messages.error(request, f"Page {front_id} is not a front (the home page or a section).")
        return None
    if not _can_pin(request.user, front):
        raise PermissionDenied
    story = ArticlePage.objects.filter(pk=int(story_id)).first()
    if story is None:
        messages.error(request, f"There is no story {story_id}.")
        return None
    return front, story


@require_POST
def pin(request: HttpRequest) -> HttpResponse:
    found = _front_and_story(request)
    if found is None:
        return _back(request)
    front, story = found
    slot = request.POST.get("slot", "")
    try:
        displaced = fronts.pin(front, story, slot, user=request.user)
    except ValueError as error:
        messages.error(request, f"Not pinned: {error}.")
        return _back(request)
    log(instance=story, action="dateline.front_pin", user=request.user, data={"front": front.pk, "slot": slot})
    where = "the lead" if slot == fronts.FrontPick.Slot.LEAD else "a secondary slot"
    messages.success(request, " ".join([f"{story.title!r} pinned as {where} on {front.title}.", *displaced]))
    return _back(request)


@require_POST
def unpin(request: HttpRequest) -> HttpResponse:
    found = _front_and_story(request)
    if found is None:
        return _back(request)
    front, story = found
    if fronts.unpin(front, story):
        log(instance=story, action="dateline.front_unpin", user=request.user, data={"front": front.pk})
        messages.success(
            request, f"{story.title!r} unpinned from {front.title}: the slot takes the newest story again."
        )
    else:
        messages.warning(request, f"{story.title!r} was not pinned on {front.title}.")
    return _back(request)
