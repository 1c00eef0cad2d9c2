"""Settings package: ``base`` reads the environment; ``production`` (the default), ``local`` (production on a
trial machine, for ``make run``), ``dev`` (``DATELINE_DEBUG=true``) and ``test`` adjust it."""

import os


def default_module() -> str:
    """The settings a ``dateline`` command or a WSGI server uses when ``DJANGO_SETTINGS_MODULE`` is unset:
    production, unless ``DATELINE_DEBUG`` asks for the development settings."""
    debug = os.environ.get("DATELINE_DEBUG", "").strip().lower() in {"1", "true", "yes", "on"}
    return "dateline.settings.dev" if debug else "dateline.settings.production"
