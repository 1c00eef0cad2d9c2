"""Admin views beyond the snippet screens: an editor's export of what is kept about one subscriber
(their right to see it), and an edition's preview and its send, schedule or hold actions."""

import json

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.clickjacking import xframe_options_sameorigin

from . import editions, sending, subscribing
from .models import Edition, Subscriber


@permission_required("newsletters.view_subscriber", raise_exception=True)
def export(request: HttpRequest, pk: int) -> HttpResponse:
    subscriber = get_object_or_404(Subscriber, pk=pk)
    data = subscribing.export(subscriber)
    response = HttpResponse(json.dumps(data, indent=2, ensure_ascii=False) + "\n", content_type="application/json")
    name = "".join(c if c.isalnum() or c in ".-" else "-" for c in data["email"])
    response["Content-Disposition"] = f'attachment; filename="subscriber-{name}.json"'
    return response


def _edition(request: HttpRequest, pk: int) -> Edition:
    if not request.user.has_perm("newsletters.change_edition"):
        raise PermissionDenied
    return get_object_or_404(Edition.objects.select_related("newsletter"), pk=pk)


def _preview(edition: Edition) -> tuple[str, str]:
    """As sent when it was sent (its kept copy), else as it would be sent now, with sample links."""
    return (edition.html, edition.text) if edition.html else editions.render(edition)


@xframe_options_sameorigin
def preview(request: HttpRequest, pk: int, part: str) -> HttpResponse:
    edition = _edition(request, pk)
    html, text = _preview(edition)
    if part == "text":
        return HttpResponse(text, content_type="text/plain; charset=utf-8")
    return HttpResponse(html, content_type="text/html; charset=utf-8")


def send(request: HttpRequest, pk: int) -> HttpResponse:
    """Send now, schedule at the edition's time, or hold it back as a draft; a POST with CSRF."""
    edition = _edition(request, pk)
    listing = reverse("wagtailsnippets_newsletters_edition:list")
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "send":
            if sending.queue(edition):
                messages.success(request, f"“{edition.subject}” is being sent to {edition.newsletter.name}.")
            else:
                messages.error(
                    request, f"“{edition.subject}” is {edition.get_status_display().lower()}: not sent again."
                )
        elif action == "schedule":
            if edition.send_at is None or edition.send_at <= timezone.now():
                messages.error(request, "Set a time in the future under “Send at” first (Edit), then schedule.")
            elif Edition.objects.filter(pk=pk, status=Edition.Status.DRAFT).update(status=Edition.Status.SCHEDULED):
                when = timezone.localtime(edition.send_at)
                messages.success(request, f"“{edition.subject}” will be sent at {when:%H:%M on %d %B}.")
            else:
                messages.error(request, "Only a draft can be scheduled.")
        elif action == "hold":
            if Edition.objects.filter(pk=pk, status=Edition.Status.SCHEDULED).update(status=Edition.Status.DRAFT):
                messages.success(
                    request, f"“{edition.subject}” is held back as a draft: it will not be sent on its own."
                )
            else:
                messages.error(request, "Only a scheduled edition can be held back.")
        else:
            messages.error(request, "Choose send, schedule or hold.")
        return redirect(listing)
    context = {
        "edition": edition,
        "counts": edition.counts(),
        "recipients": len(sending.recipients(edition.newsletter)),
        "stories": editions.edition_stories(edition),
        "listing": listing,
    }
    return TemplateResponse(request, "newsletters/admin/send.html", context)
