"""The static files' storage: whitenoise's compressed, hashed copies (``collectstatic``), with each
asset's hashed address worked out once a process. Django's manifest storage looks the name up again
at every ``{% static %}``, six times a page; the manifest does not change while a process runs (a
new ``collectstatic`` comes with a restart)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticStorage(CompressedManifestStaticFilesStorage):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._addresses: dict[tuple[str, bool], str] = {}

    def url(self, name: str | None, force: bool = False) -> str:
        if settings.DEBUG and not force:  # unhashed, as Django serves them in development
            return super().url(name, force)
        key = (name or "", force)
        found = self._addresses.get(key)
        if found is None:
            found = self._addresses[key] = super().url(name, force)
        return found
