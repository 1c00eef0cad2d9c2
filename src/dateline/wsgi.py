"""WSGI entry point for granian or gunicorn (``dateline serve`` starts one).

The full-page cache sits in front of Django, so a cached page costs no middleware or template.
"""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dateline.settings.dev")

from dateline.publishing.pagecache import PageCache  # noqa: E402  (needs the settings above)

application = PageCache(get_wsgi_application())
