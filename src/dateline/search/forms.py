"""The search form: what a reader typed, checked, never lost."""

from django import forms

from dateline.inputs import in_range
from dateline.news.fragments import kept
from dateline.news.models import Author
from dateline.news.pages import live_sections

MAX_QUERY = 200  # characters; longer queries are cut, and the reader is told


def author_choices() -> list[tuple[str, str]]:
    """Authors with a live story (a scan of every byline: kept in the process until the next publish)."""
    return kept(
        ["search-authors"],
        lambda: list(
            Author.objects.filter(article_links__page__live=True)
            .distinct()
            .order_by("name")
            .values_list("slug", "name")
        ),
        per_publish=True,
    )


def section_choices() -> list[tuple[str, str]]:
    return kept(["search-sections"], lambda: [(s.slug, s.title) for s in live_sections()], per_publish=True)


class SearchForm(forms.Form):
    q = forms.CharField(label="Search for", required=False, strip=True)
    section = forms.ChoiceField(label="Section", required=False)
    author = forms.ChoiceField(label="Author", required=False)
    date_from = forms.DateField(label="From", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label="To", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    sort = forms.ChoiceField(
        label="Sort by", required=False, choices=[("relevance", "Relevance"), ("date", "Newest first")]
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["section"].choices = [("", "All sections")] + section_choices()
        self.fields["author"].choices = [("", "All authors")] + author_choices()

    def clean_q(self):
        return " ".join(self.cleaned_data["q"].split())

    def _clean_day(self, name):
        day = self.cleaned_data[name]
        if day is not None and not in_range(day):
            raise forms.ValidationError("Enter a date from 0001-01-02 to 9998-12-31.")
        return day

    def clean_date_from(self):
        return self._clean_day("date_from")

    def clean_date_to(self):
        return self._clean_day("date_to")

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            self.add_error("date_to", "The end date is before the start date.")
        return data
