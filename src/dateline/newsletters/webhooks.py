"""The e-mail services' tracking webhooks (django-anymail's, one address a service, e.g.
/anymail/postmark/tracking/), answered only when ANYMAIL_WEBHOOK_SECRET is set: a webhook with no
secret would let anyone suppress any address. Inbound-mail webhooks are not offered."""

from __future__ import annotations

from functools import wraps

from anymail import urls as anymail_urls
from django.conf import settings
from django.http import Http404
from django.urls import URLPattern


def _guarded(view):
    @wraps(view)
    def guarded(request, *args, **kwargs):
        if not settings.ANYMAIL.get("WEBHOOK_SECRET"):
            raise Http404("No webhooks: ANYMAIL_WEBHOOK_SECRET is not set")
        return view(request, *args, **kwargs)

    return guarded


urlpatterns = [
    URLPattern(pattern.pattern, _guarded(pattern.callback), pattern.default_args, pattern.name)
    for pattern in anymail_urls.urlpatterns
    if isinstance(pattern, URLPattern) and (pattern.name or "").endswith("_tracking_webhook")
]
