"""Production: every value that matters comes from the environment, or start-up fails."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F401,F403
from .base import env_bool, env_list, env_str

DEBUG = False

SECRET_KEY = env_str("DATELINE_SECRET_KEY")
if not SECRET_KEY:
    raise ImproperlyConfigured(
        "DATELINE_SECRET_KEY is not set: production needs a long random secret key "
        "(python3 -c 'import secrets; print(secrets.token_urlsafe(50))'). "
        "To try Dateline on this machine, use `make run`, or DATELINE_DEBUG=true for the development settings."
    )
ALLOWED_HOSTS = env_list("DATELINE_ALLOWED_HOSTS", [])
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured(
        "DATELINE_ALLOWED_HOSTS is not set: list the host names the site answers to, comma-separated"
    )

# DATELINE_SITE_URL: canonical links, feeds, sitemaps and shared links are built on it, so a
# production site without it would point every reader and search engine at localhost.
if not env_str("DATELINE_SITE_URL"):
    raise ImproperlyConfigured(
        "DATELINE_SITE_URL is not set: give the site's public address, e.g. https://news.example.org"
    )

# DATELINE_HTTPS: the site is served over HTTPS (behind a proxy that says so).
if env_bool("DATELINE_HTTPS", True):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = 31536000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    # DATELINE_HSTS_PRELOAD: ask browsers' HSTS preload lists to include the site (set false for
    # a domain that must keep plain-HTTP subdomains).
    SECURE_HSTS_PRELOAD = env_bool("DATELINE_HSTS_PRELOAD", True)
    SECURE_SSL_REDIRECT = env_bool("DATELINE_SSL_REDIRECT", True)
# Frames: X-Frame-Options is SAMEORIGIN, not DENY, because Wagtail's live preview shows the
# site's own pages in a frame of its admin; the CSP's frame-ancestors 'self' says the same.
SILENCED_SYSTEM_CHECKS = ["security.W019"]
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
