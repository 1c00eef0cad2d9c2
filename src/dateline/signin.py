"""Editors' sign-in and password resets, guarded so that the guards cannot be turned against editors.

- django-axes locks a **username and address together** after ``DATELINE_LOGIN_FAILURES`` failures:
  a stranger failing with an editor's name from other addresses never locks the editor out.
- A **client address** is refused after ``DATELINE_LOGIN_ADDRESS_FAILURES`` failures in the
  cool-off time, whatever the usernames (a higher limit, so one office behind one address is fine).
- **Password resets** are limited per client and per e-mail address, so nobody can flood an
  editor's mailbox; a reset completed through the e-mail unlocks that editor at once.
"""

from __future__ import annotations

from axes.models import AccessAttempt
from axes.utils import reset as axes_reset
from django.conf import settings
from django.db.models import Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from wagtail.admin.views.account import PasswordResetConfirmView

from .clients import Limit, client_key, too_many


def address_failures(key: str) -> int:
    since = timezone.now() - settings.AXES_COOLOFF_TIME
    total = AccessAttempt.objects.filter(ip_address=key, attempt_time__gte=since).aggregate(
        n=Sum("failures_since_start")
    )["n"]
    return total or 0


def reset_limits() -> tuple[Limit, Limit]:
    hour = 3600
    return (
        Limit("reset-client", settings.DATELINE_RESET_LIMIT_CLIENT, hour),
        Limit("reset-address", settings.DATELINE_RESET_LIMIT_ADDRESS, hour),
    )


class SignInGuard:
    """Middleware: refuses a sign-in from an address over its limit, and password resets over theirs."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method == "POST":
            if request.path == reverse("wagtailadmin_login"):
                key = client_key(request)
                if address_failures(key) >= settings.DATELINE_LOGIN_ADDRESS_FAILURES:
                    response = render(
                        request, settings.AXES_LOCKOUT_TEMPLATE, {"cooloff_time": "half an hour"}, status=429
                    )
                    response["Cache-Control"] = "private, no-store"
                    return response
            elif request.path == reverse("wagtailadmin_password_reset"):
                per_client, per_address = reset_limits()
                wait = per_client.hit(client_key(request))
                email = str(request.POST.get("email", "")).strip().lower()[:254]
                if wait is None and email:
                    wait = per_address.hit(email)
                if wait is not None:
                    return too_many(request, wait, "password reset e-mails")
        return self.get_response(request)


class UnlockingPasswordResetConfirmView(PasswordResetConfirmView):
    """Wagtail's "choose a new password" step; a new password also lifts the editor's sign-in lockout."""

    def form_valid(self, form):
        response = super().form_valid(form)
        axes_reset(username=form.user.get_username())
        return response
