"""The site's identity, set by editors in the admin (Settings > Site identity): its name, logo, accent
colour, footer text and the note on times. Every page, feed and e-mail reads it through ``current()``,
kept per publish generation (saving the settings moves the generation on and purges every page, in
the story pipeline), so a request costs no query for it.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting

from .fragments import kept

HEX = re.compile(r"^#[0-9a-fA-F]{6}$")
DEFAULT_ACCENT = "#13294b"
MIN_CONTRAST = 4.5  # WCAG 2.2 AA for the header's white text on the accent


def _luminance(colour: str) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast_with_white(colour: str) -> float:
    return 1.05 / (_luminance(colour) + 0.05)


def validate_accent(value: str) -> None:
    if not HEX.match(value or ""):
        raise ValidationError(f"{value!r} is not a colour written as # and six hex digits, such as {DEFAULT_ACCENT}.")
    ratio = contrast_with_white(value)
    if ratio < MIN_CONTRAST:
        raise ValidationError(
            f"White text on {value} has a contrast of {ratio:.1f} to 1; readers need at least {MIN_CONTRAST} "
            "to 1 (WCAG AA). Choose a darker colour."
        )


@register_setting(icon="site")
class SiteIdentity(BaseGenericSetting):
    name = models.CharField(max_length=80, blank=True, help_text="Empty: the name set by DATELINE_SITE_NAME.")
    logo = models.ForeignKey(
        "news.NewsImage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Shown in the header instead of the name (the name stays its text for screen readers).",
    )
    accent = models.CharField(
        "accent colour",
        max_length=7,
        default=DEFAULT_ACCENT,
        validators=[validate_accent],
        help_text="The header's colour, behind white text: # and six hex digits, dark enough to read on.",
    )
    footer_text = models.TextField(blank=True, help_text="A line or two at the foot of every page (plain text).")
    zone_note = models.CharField(
        "note on times",
        max_length=120,
        blank=True,
        help_text="Empty: written from the site's time zone, e.g. 'All times are New York time (EST/EDT).'",
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("logo"),
        FieldPanel("accent"),
        FieldPanel("footer_text"),
        FieldPanel("zone_note"),
    ]

    class Meta:
        app_label = "news"
        verbose_name = "Site identity"


@dataclass(frozen=True)
class Identity:
    name: str
    accent: str
    footer_text: str
    zone_note: str
    logo_url: str = ""
    logo_width: int = 0
    logo_height: int = 0

    @property
    def theme_version(self) -> str:
        return hashlib.sha256(self.accent.encode()).hexdigest()[:12]


def _read() -> Identity:
    from .templatetags.news_tags import zone_note

    row = SiteIdentity.objects.select_related("logo").order_by("pk").first()
    default_note = zone_note(str(settings.TIME_ZONE))
    if row is None:
        return Identity(settings.DATELINE_SITE_NAME, DEFAULT_ACCENT, "", default_note)
    logo = {}
    if row.logo is not None:
        rendition = row.logo.get_rendition("height-96")
        logo = {"logo_url": rendition.url, "logo_width": rendition.width // 2, "logo_height": rendition.height // 2}
    return Identity(
        name=row.name or settings.DATELINE_SITE_NAME,
        accent=row.accent if HEX.match(row.accent or "") else DEFAULT_ACCENT,
        footer_text=row.footer_text,
        zone_note=row.zone_note or default_note,
        **logo,
    )


def current() -> Identity:
    """The identity as readers see it now (kept per publish generation)."""
    return kept(["site-identity"], _read, per_publish=True)


def site_name() -> str:
    return current().name
