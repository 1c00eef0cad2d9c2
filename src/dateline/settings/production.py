"""Production: every value that matters comes from the environment, or start-up fails."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F401,F403
from .base import env_bool, env_list, env_str

DEBUG = False

SECRET_KEY = env_str("DATELINE_SECRET_KEY")
if not SECRET_KEY:
    raise ImproperlyConfigured(
        "DATELINE_SECRET_KEY is not set: production needs a long random secret key"
    )
ALLOWED_HOSTS = env_list("DATELINE_ALLOWED_HOSTS", [])
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured(
        "DATELINE_ALLOWED_HOSTS is not set: list the host names the site answers to, comma-separated"
    )

# DATELINE_HTTPS: the site is served over HTTPS (behind a proxy that says so).
if env_bool("DATELINE_HTTPS", True):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = 31536000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_SSL_REDIRECT = env_bool("DATELINE_SSL_REDIRECT", True)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
