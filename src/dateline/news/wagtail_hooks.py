"""The article editor's warnings that do not stop a publish."""

from django.contrib import messages
from wagtail import hooks

from .forms import HEADLINE_WARN_CHARS


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

    from . import front_views

    return [
        path("fronts/", front_views.index, name="news_fronts"),
        path("fronts/pin/", front_views.pin, name="news_fronts_pin"),
        path("fronts/unpin/", front_views.unpin, name="news_fronts_unpin"),
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


@hooks.register("register_log_actions")
def front_actions(actions):
    actions.register_action("dateline.front_pin", "Pin to a front", "Pinned to a front")
    actions.register_action("dateline.front_unpin", "Unpin from a front", "Unpinned from a front")
