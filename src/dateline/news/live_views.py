"""The admin's live desk for one live story (news/live.py): post an update in one step, then pin,
edit or delete updates and end the coverage.

Posting is a short form (the text first, focused; paragraphs split at blank lines), published by
its one button, with no page revision. Everything here needs the right to publish the story
(Wagtail's page permissions), and every post, edit, pin, unpin and delete is in Wagtail's audit
log against the story. An update's quote, photo or story link is added in the full editor
(Snippets > Live updates), which keeps the same rules.
"""

from __future__ import annotations

import html
import re

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST
from wagtail.log_actions import log

from .live import LiveUpdate
from .pages import ArticlePage
from .snippets import Author

DESK_UPDATES = 50  # updates listed under the form
POSTED = re.compile(r"[1-9][0-9]{0,18}")  # ?posted=ID after a post: the desk's script forgets its draft


class UpdateForm(forms.Form):
    text = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 5, "autofocus": True}),
        max_length=20_000,
        help_text="What is new. Leave a blank line between paragraphs.",
        error_messages={"required": "Write the update's text."},
    )
    headline = forms.CharField(max_length=255, required=False, help_text="A few words over the update (optional).")
    author = forms.ModelChoiceField(Author.objects.all(), required=False)
    pinned = forms.BooleanField(required=False, label="Pin at the top (unpins the pinned update)")

    def clean_text(self) -> str:
        text = self.cleaned_data["text"].strip()
        if not text:
            raise forms.ValidationError("Write the update's text.")
        return text

    def body(self) -> list[dict]:
        paragraphs = [" ".join(part.split()) for part in self.cleaned_data["text"].split("\n\n")]
        return [{"type": "paragraph", "value": f"<p>{html.escape(part)}</p>"} for part in paragraphs if part]


def text_of(update: LiveUpdate) -> str | None:
    """The update's text for the short form, or None when it holds more than paragraphs."""
    from .formatting import plain_text

    if any(block.block_type != "paragraph" for block in update.body):
        return None
    return "\n\n".join(" ".join(plain_text(block.value.source).split()) for block in update.body)


def _story(request: HttpRequest, page_id: int) -> ArticlePage:
    story = ArticlePage.objects.filter(pk=page_id).first()
    if story is None or not story.is_live_coverage:
        raise Http404("No live story with that id")
    if not story.permissions_for_user(request.user).can_publish():
        raise PermissionDenied
    return story


def _update(story: ArticlePage, update_id: int) -> LiveUpdate:
    update = story.live_updates.filter(pk=update_id).first()
    if update is None:
        raise Http404("No such update in this story")
    return update


def desk(request: HttpRequest, page_id: int) -> HttpResponse:
    story = _story(request, page_id)
    if request.method == "POST":
        form = UpdateForm(request.POST)
        if not story.coverage_running:
            messages.error(request, "The coverage has ended: no more updates can be posted.")
        elif not story.live:
            messages.error(request, "The story is not published: publish it first, then post updates.")
        elif form.is_valid():
            with transaction.atomic():
                update = LiveUpdate.objects.create(
                    article=story,
                    body=form.body(),
                    headline=form.cleaned_data["headline"],
                    author=form.cleaned_data["author"],
                    pinned=form.cleaned_data["pinned"],
                    posted_by=request.user if request.user.is_authenticated else None,
                )
                log(instance=story, action="dateline.live_post", user=request.user, data={"update": update.pk})
            messages.success(request, f"Update posted at {timezone.localtime(update.posted_at):%H:%M}.")
            # ?posted= tells the desk's script (live_desk.js) to forget the draft it kept
            return redirect(reverse("news_live_desk", kwargs={"page_id": story.pk}) + f"?posted={update.pk}")
    else:
        form = UpdateForm(initial={"author": request.GET.get("author")})
    posted = request.GET.get("posted", "")
    context = {
        "story": story,
        "form": form,
        "updates": list(story.live_updates.newest_first().select_related("author")[:DESK_UPDATES]),
        "posted": posted if POSTED.fullmatch(posted) and request.method == "GET" else "",
    }
    return TemplateResponse(request, "news/admin/live_desk.html", context)


def edit(request: HttpRequest, page_id: int, update_id: int) -> HttpResponse:
    story = _story(request, page_id)
    update = _update(story, update_id)
    text = text_of(update)
    if text is None:  # a quote, photo or link: the full editor keeps them
        return redirect(reverse("wagtailsnippets_news_liveupdate:edit", args=[update.pk]))
    if request.method == "POST":
        form = UpdateForm(request.POST)
        if form.is_valid():
            with transaction.atomic():
                update.body = form.body()
                update.headline = form.cleaned_data["headline"]
                update.author = form.cleaned_data["author"]
                update.pinned = form.cleaned_data["pinned"]
                update.save()
                log(instance=story, action="dateline.live_edit", user=request.user, data={"update": update.pk})
            messages.success(request, "Update edited: readers see it marked as edited.")
            return redirect("news_live_desk", page_id=story.pk)
    else:
        form = UpdateForm(
            initial={"text": text, "headline": update.headline, "author": update.author, "pinned": update.pinned}
        )
    return TemplateResponse(request, "news/admin/live_edit.html", {"story": story, "update": update, "form": form})


@require_POST
def pin(request: HttpRequest, page_id: int, update_id: int) -> HttpResponse:
    story = _story(request, page_id)
    update = _update(story, update_id)
    with transaction.atomic():
        update.pinned = not update.pinned
        update.save(update_fields=["pinned"])  # pinning one unpins the others (LiveUpdate.save)
        action = "dateline.live_pin" if update.pinned else "dateline.live_unpin"
        log(instance=story, action=action, user=request.user, data={"update": update.pk})
    messages.success(request, "Update pinned at the top." if update.pinned else "Update unpinned.")
    return redirect("news_live_desk", page_id=story.pk)


def delete(request: HttpRequest, page_id: int, update_id: int) -> HttpResponse:
    story = _story(request, page_id)
    update = _update(story, update_id)
    if request.method == "POST":
        with transaction.atomic():
            log(instance=story, action="dateline.live_delete", user=request.user, data={"update": update.pk})
            update.delete()
        messages.success(request, "Update deleted: it is gone from the page, the feeds and every cache.")
        return redirect("news_live_desk", page_id=story.pk)
    return TemplateResponse(request, "news/admin/live_delete.html", {"story": story, "update": update})


@require_POST
def end(request: HttpRequest, page_id: int) -> HttpResponse:
    """End the coverage: a new revision with ``live_until`` set, published, so the page says so."""
    story = _story(request, page_id)
    if not story.coverage_running:
        messages.warning(request, "The coverage had already ended.")
        return redirect("news_live_desk", page_id=story.pk)
    if story.has_unpublished_changes:
        messages.error(request, "The story has changes not yet published: publish or discard them, then end it.")
        return redirect("news_live_desk", page_id=story.pk)
    draft = story.get_latest_revision_as_object()
    draft.live_until = timezone.now()
    revision = draft.save_revision(user=request.user, log_action=True)
    revision.publish(user=request.user)
    messages.success(request, "Live coverage ended: the page says so and readers' pages stop asking for updates.")
    return redirect("news_live_desk", page_id=story.pk)
