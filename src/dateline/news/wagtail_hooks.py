"""The admin's additions: the article editor's warnings that do not stop a publish, the Fronts
screen, and the live desk of a live story (news/live_views.py) with its updates as snippets."""

from django.contrib import messages
from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .forms import HEADLINE_WARN_CHARS
from .live import LiveUpdate


@hooks.register("after_edit_page")
@hooks.register("after_create_page")
def long_headline_warning(request, page):
    title = getattr(page, "draft_title", "") or page.title
    if page.specific_class.__name__ == "ArticlePage" and len(title) > HEADLINE_WARN_CHARS:
        messages.warning(
            request,
            f"The headline is {len(title)} characters long: lists, feeds and search results show about "
            f"{HEADLINE_WARN_CHARS}. Saved anyway.",
        )


@hooks.register("register_admin_urls")
def front_urls():
    from django.urls import path

    from . import front_views, live_views

    return [
        path("fronts/", front_views.index, name="news_fronts"),
        path("fronts/pin/", front_views.pin, name="news_fronts_pin"),
        path("fronts/unpin/", front_views.unpin, name="news_fronts_unpin"),
        path("live/<int:page_id>/", live_views.desk, name="news_live_desk"),
        path("live/<int:page_id>/end/", live_views.end, name="news_live_end"),
        path("live/<int:page_id>/<int:update_id>/edit/", live_views.edit, name="news_live_edit"),
        path("live/<int:page_id>/<int:update_id>/pin/", live_views.pin, name="news_live_pin"),
        path("live/<int:page_id>/<int:update_id>/delete/", live_views.delete, name="news_live_delete"),
    ]


@hooks.register("register_admin_menu_item")
def fronts_menu_item():
    from django.urls import reverse
    from wagtail.admin.menu import MenuItem

    return MenuItem("Fronts", reverse("news_fronts"), icon_name="list-ul", order=250)


@hooks.register("register_page_listing_more_buttons")
def pin_button(page, user, next_url=None):
    from django.urls import reverse
    from wagtail.admin.widgets import Button

    if page.specific_class.__name__ == "ArticlePage" and page.live:
        yield Button("Pin to a front", reverse("news_fronts") + f"?story={page.pk}", icon_name="pick", priority=45)


@hooks.register("register_page_header_buttons")
def live_desk_button(page, user, view_name, next_url=None):
    """On a live story's editor (one page, not every row of a listing): the way to its live desk."""
    from django.urls import reverse
    from wagtail.admin.widgets import Button

    if getattr(page.specific_deferred, "live_since", None):
        yield Button(
            "Live desk: post an update", reverse("news_live_desk", args=[page.pk]), icon_name="edit", priority=40
        )


@hooks.register("register_log_actions")
def front_actions(actions):
    actions.register_action("dateline.front_pin", "Pin to a front", "Pinned to a front")
    actions.register_action("dateline.front_unpin", "Unpin from a front", "Unpinned from a front")
    actions.register_action("dateline.live_post", "Post a live update", "Live update posted")
    actions.register_action("dateline.live_edit", "Edit a live update", "Live update edited")
    actions.register_action("dateline.live_pin", "Pin a live update", "Live update pinned")
    actions.register_action("dateline.live_unpin", "Unpin a live update", "Live update unpinned")
    actions.register_action("dateline.live_delete", "Delete a live update", "Live update deleted")


class LiveUpdateViewSet(SnippetViewSet):
    """Every update with all its blocks (quote, photo, story link), for what the live desk's short
    form does not edit; saves and deletes here are purged and logged like the desk's."""

    model = LiveUpdate
    icon = "time"
    menu_label = "Live updates"
    list_display = ["__str__", "article", "posted_at", "pinned", "edited_at"]
    list_filter = ["pinned"]
    ordering = ["-pk"]


register_snippet(LiveUpdateViewSet)
