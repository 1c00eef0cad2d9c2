"""Keys for the content API, created by editors in the admin (Snippets > API keys)."""

import hashlib
import hmac
import secrets

from django.db import models
from django.utils import timezone
from wagtail.admin.panels import FieldPanel
from wagtail.snippets.models import register_snippet


def new_key() -> str:
    return secrets.token_urlsafe(32)


class ApiKey(models.Model):
    name = models.CharField(max_length=100, help_text="Who uses the key, e.g. the partner's name.")
    key = models.CharField(
        max_length=64,
        unique=True,
        default=new_key,
        help_text="Send it as the X-API-Key header. Change it to revoke the old one.",
    )
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)

    panels = [FieldPanel("name"), FieldPanel("key"), FieldPanel("active")]

    class Meta:
        verbose_name = "API key"

    def __str__(self) -> str:
        return self.name

    @classmethod
    def verify(cls, presented: str) -> "ApiKey | None":
        """The active key equal to ``presented`` (compared in constant time), or None."""
        if not presented:
            return None
        digest = hashlib.sha256(presented.encode()).digest()
        for key in cls.objects.filter(active=True).only("pk", "key"):
            if hmac.compare_digest(hashlib.sha256(key.key.encode()).digest(), digest):
                cls.objects.filter(pk=key.pk).update(last_used_at=timezone.now())
                return key
        return None


register_snippet(ApiKey)
