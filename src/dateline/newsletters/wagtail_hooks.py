"""Newsletters in the Wagtail admin: the lists with their subscriber counts, each edition (its stories,
preview, send, schedule or hold, and its deliveries sent, pending, failed), and the subscribers
(find one by address, export what is kept about them, delete them)."""

from django.core.exceptions import ValidationError
from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, InlinePanel, ObjectList
from wagtail.admin.widgets import ListingButton
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .models import Edition, NewsletterList, Subscriber


class ListViewSet(SnippetViewSet):
    model = NewsletterList
    menu_label = "Lists"
    icon = "list-ul"
    list_display = ["name", "kind", "active", "subscriber_count"]
    ordering = ["sort_order", "name"]


class EditionForm(WagtailAdminModelForm):
    """An edition can be changed while it waits (a draft, or scheduled); once it is sending, every
    copy must be the same, and once sent or cancelled it is a record of what happened."""

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk:
            status = Edition.objects.filter(pk=self.instance.pk).values_list("status", flat=True).first()
            if status not in (None, Edition.Status.DRAFT, Edition.Status.SCHEDULED):
                label = Edition.Status(status).label.lower()
                raise ValidationError(f"This edition is {label}: it can no longer be changed.")
        return cleaned


class EditionViewSet(SnippetViewSet):
    model = Edition
    menu_label = "Editions"
    icon = "doc-full"
    list_display = ["subject", "newsletter", "status", "send_at", "progress"]
    list_filter = ["status", "newsletter"]
    ordering = ["-created_at"]
    edit_handler = ObjectList(
        [
            FieldPanel("newsletter"),
            FieldPanel("subject"),
            FieldPanel("intro"),
            FieldPanel("send_at"),
            InlinePanel("stories", label="Story", heading="Stories, in order"),
        ],
        base_form_class=EditionForm,
    )


class SubscriberViewSet(SnippetViewSet):
    model = Subscriber
    menu_label = "Subscribers"
    icon = "user"
    list_display = ["email", "confirmed_at", "paused", "created_at"]
    list_filter = ["paused"]
    search_fields = ["email"]
    search_backend_name = None  # the address as typed, straight from the table
    ordering = ["-created_at"]


class NewslettersGroup(SnippetViewSetGroup):
    menu_label = "Newsletters"
    menu_icon = "mail"
    menu_order = 260
    items = (ListViewSet, EditionViewSet, SubscriberViewSet)


register_snippet(NewslettersGroup)


@hooks.register("register_admin_urls")
def export_url():
    from .admin_views import export, preview, send

    return [
        path("newsletters/subscribers/<int:pk>/export/", export, name="newsletters_export"),
        path("newsletters/editions/<int:pk>/preview/<str:part>/", preview, name="newsletters_preview"),
        path("newsletters/editions/<int:pk>/send/", send, name="newsletters_send"),
    ]


@hooks.register("register_snippet_listing_buttons")
def export_button(snippet, user, next_url=None):
    if isinstance(snippet, Subscriber):
        yield ListingButton(
            "Export", reverse("newsletters_export", args=[snippet.pk]), icon_name="download", priority=30
        )
    if isinstance(snippet, Edition):
        label = (
            "Send or schedule" if snippet.status in (Edition.Status.DRAFT, Edition.Status.SCHEDULED) else "Deliveries"
        )
        yield ListingButton(label, reverse("newsletters_send", args=[snippet.pk]), icon_name="mail", priority=30)
