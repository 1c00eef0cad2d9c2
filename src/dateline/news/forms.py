"""The article editor's form: the publishing checks, shown on the fields they concern."""

from __future__ import annotations

from wagtail.admin.forms import WagtailAdminPageForm

from .limits import size_problem

HEADLINE_WARN_CHARS = 120


class ArticlePageForm(WagtailAdminPageForm):
    def clean(self):
        cleaned = super().clean()
        if "action-publish" in self.data:  # a draft may be unfinished; a published story may not
            if not (cleaned.get("title") or "").strip():
                self.add_error("title", "A story cannot be published without a headline.")
            body = cleaned.get("body")
            if body is not None and not any(has_words(block) for block in body):
                self.add_error("body", "A story cannot be published without at least one paragraph of text.")
        body = cleaned.get("body")
        if body is not None:
            problem = size_problem(block.value.source for block in body if block.block_type == "paragraph")
            if problem is not None:
                self.add_error("body", problem[0].upper() + problem[1:])
        return cleaned


def has_words(block) -> bool:
    from django.utils.html import strip_tags

    return block.block_type == "paragraph" and bool(strip_tags(block.value.source).strip())
