"""The wire desk's actions on one item: publish as is, spike, restore, acknowledge a kill. POST only,
CSRF-checked by Django, each needing the desk permission; every action is in the audit log."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from . import desk
from .models import WireItem

DESK_PERMISSION = "wire.act_on_desk"


def _item(request: HttpRequest, pk: int) -> WireItem:
    if not request.user.has_perm(DESK_PERMISSION):
        raise PermissionDenied("Only the wire desk can act on agency items.")
    return get_object_or_404(WireItem.objects.select_for_update(), pk=pk)


def _back(request: HttpRequest) -> HttpResponse:
    target = request.POST.get("next", "")
    return redirect(target if target.startswith("/admin/") else reverse("wire_desk:index"))


def _publish(request: HttpRequest, item: WireItem) -> bool:
    """Publish the item's latest version as it is, after the same checks as every publish; says why not."""
    if item.page is None or item.status in (WireItem.Status.KILLED, WireItem.Status.DISCARDED):
        messages.error(request, f"“{item}” cannot be published: it is {item.get_status_display().lower()}.")
        return False
    page = item.page.get_latest_revision_as_object()
    problems = page.publishing_problems()
    if problems:
        messages.error(request, f"“{item}” was not published: " + "; ".join(problems))
        return False
    # The desk's own permission is what allows this (checked by _item), not the page tree's.
    page.get_latest_revision().publish(user=request.user, skip_permission_checks=True)
    item.status, item.seen = WireItem.Status.PUBLISHED, True
    item.save(update_fields=["status", "seen"])
    desk.log(item.page, "dateline.wire.published", user=request.user, rule=item.rule)
    return True


def _spike(request: HttpRequest, item: WireItem) -> bool:
    """Hide the item from the desk; it is kept, can be restored, and is never published while spiked."""
    if item.status == WireItem.Status.PUBLISHED and item.page is not None and item.page.live:
        messages.error(request, f"“{item}” is live: unpublish it in the editor instead of spiking it.")
        return False
    item.status = WireItem.Status.SPIKED
    item.save(update_fields=["status"])
    if item.page is not None:
        desk.log(item.page, "dateline.wire.spiked", user=request.user)
    return True


def _act_on_one(request: HttpRequest, pk: int, name: str) -> HttpResponse:
    act, done_word = BULK_ACTIONS[name]
    with transaction.atomic():
        item = _item(request, pk)
        done = act(request, item)
    if done:
        messages.success(request, f"“{item}” is {done_word}.")
    return _back(request)


@require_POST
def publish(request: HttpRequest, pk: int) -> HttpResponse:
    return _act_on_one(request, pk, "publish")


@require_POST
def spike(request: HttpRequest, pk: int) -> HttpResponse:
    return _act_on_one(request, pk, "spike")


BULK_ACTIONS = {"publish": (_publish, "published"), "spike": (_spike, "spiked")}


@require_POST
def bulk(request: HttpRequest) -> HttpResponse:
    """The same action on every selected item, each in its own transaction (one refusal stops no other)."""
    action = BULK_ACTIONS.get(request.POST.get("action", ""))
    ids = [int(value) for value in request.POST.getlist("ids") if value.isdigit()][:500]
    if action is None or not ids:
        messages.error(request, "Choose items and an action.")
        return _back(request)
    run, done_word = action
    done = 0
    for pk in ids:
        with transaction.atomic():
            done += run(request, _item(request, pk))
    messages.success(request, f"{done} of {len(ids)} selected item(s) {done_word}.")
    return _back(request)


@require_POST
def restore(request: HttpRequest, pk: int) -> HttpResponse:
    with transaction.atomic():
        item = _item(request, pk)
        if item.status != WireItem.Status.SPIKED:
            return _back(request)
        item.status = WireItem.Status.HELD
        item.save(update_fields=["status"])
        if item.page is not None:
            desk.log(item.page, "dateline.wire.restored", user=request.user)
    messages.success(request, f"“{item}” is back on the desk.")
    return _back(request)


@require_POST
def acknowledge(request: HttpRequest, pk: int) -> HttpResponse:
    """An editor has seen a kill: its banner goes."""
    with transaction.atomic():
        item = _item(request, pk)
        item.kill_acknowledged = True
        item.seen = True
        item.save(update_fields=["kill_acknowledged", "seen"])
    return _back(request)


def update(request: HttpRequest, pk: int) -> HttpResponse:
    """An agency update to a story an editor changed: what the agency changed, side by side, and one
    action that applies it while keeping the editor's other changes."""
    from django.template.response import TemplateResponse

    if request.method == "POST":
        with transaction.atomic():
            item = _item(request, pk)
            if item.pending_update is None or item.page is None:
                messages.error(request, f"“{item}” has no agency update waiting.")
                return _back(request)
            desk.apply_update(item, request.user)
        messages.success(request, f"The agency's update to “{item}” is applied.")
        return _back(request)
    if not (request.user.has_perm(DESK_PERMISSION) or request.user.has_perm("wire.view_wireitem")):
        raise PermissionDenied("Only the newsroom sees the wire desk.")
    item = get_object_or_404(WireItem.objects.select_related("page"), pk=pk)
    if item.pending_update is None or item.page is None:
        messages.info(request, f"“{item}” has no agency update waiting.")
        return redirect(reverse("wire_desk:index"))
    base = item.agency_fields or desk.agency_base(item.page)
    editor = desk.page_fields(item.page.get_latest_revision_as_object())
    context = {
        "item": item,
        "changes": desk.diff(base, item.pending_update),
        "editor": editor,
        "can_act": request.user.has_perm(DESK_PERMISSION),
        "page_title": f"Agency update: {item}",
        "header_title": "Agency update",
    }
    return TemplateResponse(request, "wire/desk/update.html", context)
