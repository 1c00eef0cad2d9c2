"""The Email This Article form."""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import validate_email

MAX_RECIPIENTS = 5
MAX_NOTE = 500
_SEPARATORS = re.compile(r"[,;\s]+")


def ascii_address(address: str) -> str:
    """The address with its domain in IDNA form (exämple.org -> xn--exmple-cua.org); a clear error when
    it cannot be written in a mail header (a non-ASCII name before the @, a domain IDNA refuses)."""
    local, _, domain = address.rpartition("@")
    if not local.isascii():
        raise ValidationError(
            "%(address)s: the part before the @ must be plain letters, digits and punctuation.",
            params={"address": address},
        )
    try:
        domain = domain.encode("idna").decode("ascii")
    except UnicodeError:
        raise ValidationError(
            "%(address)s: the domain after the @ is not a valid internet domain name.", params={"address": address}
        ) from None
    return f"{local}@{domain}"


def _no_line_breaks(value: str) -> None:
    if "\n" in value or "\r" in value:
        raise ValidationError("Line breaks are not allowed here.")


class EmailStoryForm(forms.Form):
    recipients = forms.CharField(
        label="To",
        max_length=1000,
        help_text=f"Up to {MAX_RECIPIENTS} e-mail addresses, separated by commas.",
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "email"}),
    )
    sender_name = forms.CharField(
        label="Your name",
        max_length=100,
        validators=[_no_line_breaks],
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    sender_email = forms.EmailField(
        label="Your e-mail address", max_length=254, widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )
    note = forms.CharField(
        label="Note (optional)",
        required=False,
        max_length=MAX_NOTE,
        help_text=f"Plain text, {MAX_NOTE} characters at most.",
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": MAX_NOTE}),
    )
    # A honeypot: hidden from people, filled in by robots that fill in everything.
    website = forms.CharField(
        label="Leave this field empty",
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def clean_recipients(self) -> list[str]:
        raw = self.cleaned_data["recipients"]
        if "\n" in raw or "\r" in raw:
            raise ValidationError("Put the addresses on one line, separated by commas.")
        addresses = [item for item in _SEPARATORS.split(raw) if item]
        if not addresses:
            raise ValidationError("Enter at least one e-mail address.")
        if len(addresses) > MAX_RECIPIENTS:
            raise ValidationError(
                f"You can send a story to at most {MAX_RECIPIENTS} addresses at once; you entered {len(addresses)}."
            )
        bad = []
        for address in addresses:
            try:
                validate_email(address)
            except ValidationError:
                bad.append(address)
        if bad:
            raise ValidationError("Not a valid e-mail address: %(bad)s", params={"bad": ", ".join(bad)})
        addresses = [ascii_address(address) for address in addresses]
        seen: dict[str, str] = {}
        for address in addresses:
            seen.setdefault(address.lower(), address)
        return list(seen.values())

    def clean_sender_email(self) -> str:
        value = self.cleaned_data["sender_email"]
        _no_line_breaks(value)
        return ascii_address(value)

    @property
    def is_robot(self) -> bool:
        return bool(self.data.get("website"))
