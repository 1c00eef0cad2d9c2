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
