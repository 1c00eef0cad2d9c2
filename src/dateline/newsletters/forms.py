"""The sign-up and preferences forms."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from dateline.reader.forms import ascii_address

from .models import NewsletterList


def normalised(address: str) -> str:
    """One spelling of an address: trimmed, its domain in IDNA form, all in lower case (as every
    mail service treats it); a clear error when it is not an address at all."""
    address = address.strip()
    if "@" not in address:
        raise ValidationError("Enter an e-mail address, such as name@example.com.")
    address = ascii_address(address).lower()
    try:
        validate_email(address)
    except ValidationError:
        raise ValidationError(
            "%(address)s is not an e-mail address we can write to.", params={"address": address}
        ) from None
    return address


class ListChoice(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, obj: NewsletterList) -> str:
        return f"{obj.name}: {obj.description}" if obj.description else obj.name


def offered():
    return NewsletterList.objects.filter(active=True)


class SignUpForm(forms.Form):
    email = forms.CharField(
        label="Your e-mail address",
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "inputmode": "email"}),
    )
    lists = ListChoice(
        label="Newsletters",
        queryset=offered(),
        error_messages={"required": "Choose at least one newsletter."},
    )
    # A honeypot: hidden from people, filled in by robots that fill in everything.
    website = forms.CharField(
        label="Leave this field empty",
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lists"].queryset = offered()

    @property
    def is_robot(self) -> bool:
        return bool(self.data.get("website"))

    def clean_email(self) -> str:
        return normalised(self.cleaned_data["email"])


class PreferencesForm(forms.Form):
    lists = ListChoice(label="Newsletters", queryset=offered(), required=False)
    paused = forms.BooleanField(label="Pause every newsletter for now (your choices are kept)", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lists"].queryset = offered()
