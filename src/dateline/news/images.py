"""The newsroom's image model: every picture carries its caption and its credit."""

from django.db import models
from wagtail.images.models import AbstractImage, AbstractRendition, Image

# The renditions the templates ask for, spelled as their {% picture %} tags spell them: a story's
# picture at the top of a front (news/includes/story_teaser.html), as a list's thumbnail
# (news/includes/thumbnail.html), and a photo in a story (news/includes/photo.html). A publish makes
# them (publishing/renditions.py), so no reader waits for a picture to be resized.
LEAD_TEASER_RENDITIONS = "format-{webp,jpeg} fill-{640x360,960x540,1280x720}"
THUMBNAIL_RENDITIONS = "format-{webp,jpeg} fill-{240x160,480x320}"
PHOTO_RENDITIONS = "format-{webp,jpeg} width-{480,800,1200}"


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
