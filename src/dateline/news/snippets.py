"""People and organisations behind a story: authors and news agencies."""

from django.db import models
from django.utils.text import slugify
from wagtail.admin.panels import FieldPanel
from wagtail.search import index
from wagtail.snippets.models import register_snippet


def unique_slug(model, name: str, max_length: int = 80, fallback: str = "item") -> str:
    """NAME as a slug no row of MODEL has yet: 'name', 'name-2', 'name-3', ..."""
    base = slugify(name)[:max_length] or fallback
    slug, n = base, 2
    while model.objects.filter(slug=slug).exists():
        slug = f"{base[: max_length - 4]}-{n}"
        n += 1
    return slug


class SlugFromName:
    """Fill an empty slug from the name, unique among the model's rows."""

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(type(self), self.name)
        super().save(*args, **kwargs)


@register_snippet
class Author(SlugFromName, index.Indexed, models.Model):
    name = models.CharField(max_length=255)
    slug = models.SlugField(max_length=80, unique=True)
    bio = models.TextField(blank=True)
    photo = models.ForeignKey("news.NewsImage", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    panels = [FieldPanel("name"), FieldPanel("slug"), FieldPanel("bio"), FieldPanel("photo")]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


@register_snippet
class Agency(SlugFromName, index.Indexed, models.Model):
    name = models.CharField(max_length=255, unique=True, help_text='As shown in datelines, e.g. "Reuters".')
    slug = models.SlugField(max_length=80, unique=True)
    url = models.URLField(blank=True)

    panels = [FieldPanel("name"), FieldPanel("slug"), FieldPanel("url")]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "agencies"

    def __str__(self) -> str:
        return self.name
