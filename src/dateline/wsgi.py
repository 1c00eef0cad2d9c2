"""WSGI entry point for granian or gunicorn (``dateline serve`` starts one)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dateline.settings.dev")

application = get_wsgi_application()
