"""The newsroom's image model: every picture carries its caption and its credit."""

from django.db import models
from wagtail.images.models import AbstractImage, AbstractRendition, Image


class NewsImage(AbstractImage):
    caption = models.TextField(blank=True, help_text="What the picture shows, as readers will see it.")
    credit = models.CharField(
        max_length=255, blank=True, help_text='Photographer and agency, e.g. "REUTERS/Thierry Roge".'
    )

    admin_form_fields = Image.admin_form_fields + ("caption", "credit")

    class Meta(AbstractImage.Meta):
        verbose_name = "image"
        verbose_name_plural = "images"


class NewsRendition(AbstractRendition):
    image = models.ForeignKey(NewsImage, on_delete=models.CASCADE, related_name="renditions")

    class Meta:
        unique_together = (("image", "filter_spec", "focal_point_key"),)
