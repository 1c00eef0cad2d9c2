"""Every setting Dateline reads from the environment lives here, in one place.

Each variable is listed in the README with its default. ``production`` turns the
defaults that are only safe on a developer's machine into hard requirements.
"""

import hashlib
import os
from datetime import timedelta
from pathlib import Path
from typing import Any, overload

import dj_database_url
import dj_email_url
from django.core.exceptions import ImproperlyConfigured

PACKAGE_DIR = Path(__file__).resolve().parent.parent


@overload
def env_str(name: str, default: str) -> str: ...
@overload
def env_str(name: str, default: None = None) -> str | None: ...
def env_str(name: str, default: str | None = None) -> str | None:
    value = os.environ.get(name)
    return default if value is None or value == "" else value


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value in (None, ""):
        return default
    lowered = value.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name}={value!r} is not a boolean (use true or false)")


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value in (None, ""):
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={value!r} is not a whole number") from None


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if value in (None, ""):
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


# DATELINE_HOME: the data folder (database, media, outbox, cache). Default ./var.
DATELINE_HOME = Path(env_str("DATELINE_HOME", "var")).resolve()
MEDIA_ROOT = DATELINE_HOME / "media"
STATIC_ROOT = DATELINE_HOME / "static"
DATELINE_OUTBOX = DATELINE_HOME / "outbox"

SECRET_KEY = env_str("DATELINE_SECRET_KEY")
DEBUG = False
ALLOWED_HOSTS = env_list("DATELINE_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])

# DATELINE_SITE_URL: the public address, used for canonical and shared links.
DATELINE_SITE_URL = env_str("DATELINE_SITE_URL", "http://127.0.0.1:8000").rstrip("/")
DATELINE_SITE_NAME = env_str("DATELINE_SITE_NAME", "Dateline")
WAGTAIL_SITE_NAME = DATELINE_SITE_NAME
WAGTAILADMIN_BASE_URL = DATELINE_SITE_URL

# DATELINE_TIME_ZONE: the zone time stamps are shown in.
TIME_ZONE = env_str("DATELINE_TIME_ZONE", "America/New_York")
USE_TZ = True
USE_I18N = True
LANGUAGE_CODE = "en-us"

# Reader settings.
DATELINE_PAGE_WORDS = env_int("DATELINE_PAGE_WORDS", 350)
DATELINE_EMAIL_RATE_LIMIT = env_int("DATELINE_EMAIL_RATE_LIMIT", 10)  # messages an hour
# Requests a minute per client (an address, or an IPv6 /64) on the routes no cache answers; 0 turns one off.
DATELINE_SEARCH_RATE_LIMIT = env_int("DATELINE_SEARCH_RATE_LIMIT", 60)
DATELINE_API_RATE_LIMIT = env_int("DATELINE_API_RATE_LIMIT", 300)
DATELINE_FORM_RATE_LIMIT = env_int("DATELINE_FORM_RATE_LIMIT", 30)  # the e-mail form, shown or sent
DATELINE_DEFAULT_SECTION = env_str("DATELINE_DEFAULT_SECTION", "world")
# DATELINE_INGEST_DEFAULT: what happens to an agency item no ingest rule matches: "hold" (it waits on the
# wire desk as a draft until an editor publishes it) or "publish" (live at once).
DATELINE_INGEST_DEFAULT = env_str("DATELINE_INGEST_DEFAULT", "hold").strip().lower()
if DATELINE_INGEST_DEFAULT not in ("hold", "publish"):
    raise ImproperlyConfigured(f"DATELINE_INGEST_DEFAULT={DATELINE_INGEST_DEFAULT!r}: use hold or publish")
# Newsletters: how long a confirmation link works, and how many an address may be sent in an hour
# (a sign-up form filled in again and again with someone else's address sends them no more than that).
DATELINE_NEWSLETTER_CONFIRM_DAYS = env_int("DATELINE_NEWSLETTER_CONFIRM_DAYS", 3)
DATELINE_NEWSLETTER_CONFIRMS_PER_HOUR = env_int("DATELINE_NEWSLETTER_CONFIRMS_PER_HOUR", 3)
# DATELINE_BRIEFING_AT: when the daily briefing is assembled (HH:MM, site time zone); it is sent
# DATELINE_BRIEFING_SEND_AFTER minutes later unless an editor sends, reschedules or holds it.
DATELINE_BRIEFING_AT = env_str("DATELINE_BRIEFING_AT", "06:00")
DATELINE_BRIEFING_SEND_AFTER = env_int("DATELINE_BRIEFING_SEND_AFTER", 60)
# DATELINE_DIGEST_AT: when section and topic digests of the day's new stories are assembled and sent.
DATELINE_DIGEST_AT = env_str("DATELINE_DIGEST_AT", "17:00")
# DATELINE_ALERT_MIN_MINUTES: at most one breaking-news alert in this many minutes.
DATELINE_ALERT_MIN_MINUTES = env_int("DATELINE_ALERT_MIN_MINUTES", 30)
# A failed send is tried again after 1, 2, 4... minutes, at most DATELINE_NEWSLETTER_ATTEMPTS times.
DATELINE_NEWSLETTER_ATTEMPTS = env_int("DATELINE_NEWSLETTER_ATTEMPTS", 6)
# DATELINE_DESK_EMAIL: where kill and withdrawal alerts are e-mailed (none when unset).
DATELINE_DESK_EMAIL = env_str("DATELINE_DESK_EMAIL", "")

# DATELINE_LANGUAGES: the site's languages. An agency item that carries its story in several languages
# becomes one story for each of these; its other languages are skipped, saying so.
DATELINE_LANGUAGES = env_list("DATELINE_LANGUAGES", ["en"])


def env_map(name: str, default: dict[str, str]) -> dict[str, str]:
    """KEY=VALUE pairs separated by commas, e.g. "medtop:15000000=sport,subj:15000000=sport"."""
    value = os.environ.get(name)
    if value in (None, ""):
        return default
    pairs = {}
    for item in value.split(","):
        key, sep, mapped = item.partition("=")
        if not sep or not key.strip() or not mapped.strip():
            raise ImproperlyConfigured(f"{name}: {item.strip()!r} is not KEY=VALUE")
        pairs[key.strip()] = mapped.strip()
    return pairs


# Distribution settings.
DATELINE_FEED_FULL_TEXT = env_bool("DATELINE_FEED_FULL_TEXT", True)  # feeds carry the whole story, else the summary
DATELINE_NEWS_NAME = env_str("DATELINE_NEWS_NAME", DATELINE_SITE_NAME)  # publication name in the Google News sitemap
DATELINE_NEWS_LANGUAGE = env_str("DATELINE_NEWS_LANGUAGE", "en")  # its language (ISO 639)
DATELINE_API_KEY_REQUIRED = env_bool("DATELINE_API_KEY_REQUIRED", False)  # the ninjs API wants an X-API-Key
DATELINE_PUBLISHER_LOGO = env_str("DATELINE_PUBLISHER_LOGO", "news/img/publisher-logo.png")  # static path, for JSON-LD

# Size caps on a story's text, whoever writes it (news/limits.py): the whole text and any one paragraph.
DATELINE_STORY_MAX_KB = env_int("DATELINE_STORY_MAX_KB", 200)
DATELINE_PARAGRAPH_MAX_KB = env_int("DATELINE_PARAGRAPH_MAX_KB", 20)

# Wire ingest settings.
DATELINE_WIRE_MAX_BYTES = env_int("DATELINE_WIRE_MAX_MB", 20) * 1024 * 1024  # larger files are refused
DATELINE_WATCH_INTERVAL = env_int("DATELINE_WATCH_INTERVAL", 2)  # seconds between drop-folder polls
# DATELINE_SUBJECT_SECTIONS: IPTC Media Topic / Subject Code qcodes -> section slugs for new stories.
# A story goes to the first section its subjects (or their broader codes) name; else DATELINE_DEFAULT_SECTION.
# DATELINE_WXR_SECTIONS: WordPress category slugs -> section slugs, for `dateline ingest export.xml`
# (e.g. "local-news=world,sports=sport"); a category not named becomes a section of its own name.
DATELINE_WXR_SECTIONS = env_map("DATELINE_WXR_SECTIONS", {})

DATELINE_SUBJECT_SECTIONS = env_map(
    "DATELINE_SUBJECT_SECTIONS",
    {
        "medtop:04000000": "business",
        "subj:04000000": "business",  # economy, business and finance
        "medtop:11000000": "politics",
        "subj:11000000": "politics",  # politics
        "medtop:13000000": "science",
        "subj:13000000": "science",  # science and technology
        "medtop:15000000": "sport",
        "subj:15000000": "sport",  # sport
        "medtop:20000822": "sport",  # sport (as the IPTC's own sports example codes it)
        "medtop:16000000": "world",
        "subj:16000000": "world",  # conflict, war and peace
    },
)

INSTALLED_APPS = [
    "dateline.news",
    "dateline.reader",
    "dateline.wire",
    "dateline.feeds",
    "dateline.topics",
    "dateline.search",
    "dateline.publishing",
    "dateline.newsletters",
    "dateline.backup",
    "dateline.demo",
    "django_tasks",
    "django_tasks_db",
    "django_rq",
    "anymail",
    "wagtail.contrib.forms",
    "wagtail.contrib.settings",
    "wagtail.contrib.redirects",
    "wagtail.contrib.routable_page",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "axes",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "dateline.inputs.RejectNul",  # before anything reads a field into a query
    "dateline.news.fragments.RequestGeneration",  # the publish generation, read once a request
    "dateline.news.middleware.PagedLists",  # marks a list's ?page=N answer, which the page cache may keep
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    "dateline.signin.SignInGuard",  # sign-ins from an address over its limit; password-reset limits
    "axes.middleware.AxesMiddleware",  # last: answers a locked-out sign-in
]

# DATELINE_TRUSTED_PROXIES: the proxies in front (addresses or networks, comma-separated, e.g.
# "127.0.0.1,::1" for nginx on the same machine). When the peer is one of them, the client is the
# right-most X-Forwarded-For entry that is not (see dateline/clients.py). Empty: the peer is the client.
DATELINE_TRUSTED_PROXIES = env_list("DATELINE_TRUSTED_PROXIES", [])

# Sign-in throttling (django-axes, see dateline/signin.py): after DATELINE_LOGIN_FAILURES failed
# sign-ins for one account from one address, that pair is locked out for DATELINE_LOGIN_COOLOFF_MINUTES
# (or until the editor sets a new password through the reset e-mail); a client address is refused
# after DATELINE_LOGIN_ADDRESS_FAILURES failures in that time, whatever the accounts.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("DATELINE_LOGIN_FAILURES", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("DATELINE_LOGIN_COOLOFF_MINUTES", 30))
DATELINE_LOGIN_ADDRESS_FAILURES = env_int("DATELINE_LOGIN_ADDRESS_FAILURES", 30)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]  # the pair: a username alone never locks its owner out
AXES_CLIENT_IP_CALLABLE = "dateline.clients.client_key"
# Password-reset e-mails an hour, per client and per e-mail address.
DATELINE_RESET_LIMIT_CLIENT = env_int("DATELINE_RESET_LIMIT_CLIENT", 10)
DATELINE_RESET_LIMIT_ADDRESS = env_int("DATELINE_RESET_LIMIT_ADDRESS", 3)
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "lockout.html"
AXES_VERBOSE = False

ROOT_URLCONF = "dateline.urls"
WSGI_APPLICATION = "dateline.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "dateline.news.context_processors.site",
            ],
        },
    },
]

# Background tasks (Wagtail's reference index, the search index): run in the process that saves,
# at once, or once each after an imported story commits (dateline/backends/tasks.py).
TASKS: dict[str, dict[str, Any]] = {"default": {"BACKEND": "dateline.backends.tasks.HoldingBackend"}}
# Newsletters are sent by background workers (`dateline worker`) through django-tasks: the
# "newsletters" backend is a queue in the database (django-tasks-db), or in Redis (django-tasks-rq)
# when REDIS_URL is set, so workers on several machines share it. Set below, with REDIS_URL.

# DATABASE_URL: e.g. postgres://user@127.0.0.1:5432/dateline. Default: SQLite under DATELINE_HOME.
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{DATELINE_HOME / 'dateline.sqlite3'}"),
        conn_max_age=env_int("DATELINE_DB_CONN_MAX_AGE", 60),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    # WAL lets readers carry on while an import writes; a busy timeout rides out short locks.
    DATABASES["default"]["OPTIONS"] = {
        # DATELINE_SQLITE_CACHE_KB: each connection's page cache (SQLite's default: 2000; `dateline
        # serve` sets a smaller one for its many threads' connections, see cli.py).
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
        + f"PRAGMA cache_size=-{max(env_int('DATELINE_SQLITE_CACHE_KB', 2000), 16)};",
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
    }
    # Kept open across requests like PostgreSQL's (DATELINE_DB_CONN_MAX_AGE): opening one reads the
    # whole schema again at its first query, a millisecond a request. Restores stop the servers first.
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# REDIS_URL: a shared cache across servers (e.g. redis://127.0.0.1:6379/0). Default: file caches
# under DATELINE_HOME/cache, shared by every server process on this machine with no extra service.
# "default" holds computed lists and counters; "pages" the full-page cache (see publishing/pagecache.py).
REDIS_URL = env_str("REDIS_URL")
# DATELINE_CACHE_PREFIX: keeps two sites on one Redis apart. Default: from the database's name and host.
_database = DATABASES["default"]
DATELINE_CACHE_PREFIX = (
    env_str("DATELINE_CACHE_PREFIX")
    or "dateline-"
    + hashlib.sha1(f"{_database.get('HOST')}:{_database.get('PORT')}/{_database['NAME']}".encode()).hexdigest()[:10]
)
if REDIS_URL:
    CACHES = {
        alias: {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": f"{DATELINE_CACHE_PREFIX}-{alias}",
            "OPTIONS": {"IGNORE_EXCEPTIONS": alias == "pages"},  # a Redis outage renders pages, it does not fail them
        }
        for alias in ("default", "pages")
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "dateline.backends.filecache.LRUFileBasedCache",
            "LOCATION": str(DATELINE_HOME / "cache" / "data"),
            "OPTIONS": {"MAX_ENTRIES": 20_000},
        },
        "pages": {
            "BACKEND": "dateline.backends.filecache.LRUFileBasedCache",
            "LOCATION": str(DATELINE_HOME / "cache" / "pages"),
            "OPTIONS": {"MAX_ENTRIES": env_int("DATELINE_PAGE_CACHE_ENTRIES", 20_000)},
        },
    }

if REDIS_URL:
    TASKS["newsletters"] = {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["newsletters"]}
    RQ_QUEUES = {"newsletters": {"URL": REDIS_URL, "DEFAULT_TIMEOUT": 3600}}
else:
    TASKS["newsletters"] = {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["newsletters"]}
    RQ_QUEUES = {}

# The full-page cache (anonymous readers; exact purges on publish) and the headers a CDN reads.
DATELINE_PAGE_CACHE = env_bool("DATELINE_PAGE_CACHE", True)
DATELINE_PAGE_CACHE_SECONDS = env_int("DATELINE_PAGE_CACHE_SECONDS", 3600)  # a safety net; publishes purge
# Rendered fragments (news/fragments.py): in each process's memory, under keys a publish changes.
DATELINE_FRAGMENT_SECONDS = env_int("DATELINE_FRAGMENT_SECONDS", DATELINE_PAGE_CACHE_SECONDS)
CACHES["fragments"] = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "dateline-fragments",
    "OPTIONS": {"MAX_ENTRIES": env_int("DATELINE_FRAGMENT_ENTRIES", 2000)},  # about 20 MB a process
}
DATELINE_PAGE_CACHE_LOCAL_ENTRIES = env_int(
    "DATELINE_PAGE_CACHE_LOCAL_ENTRIES", 500
)  # pages each process keeps in memory
# After a publish's purge, readers arriving while one process renders the page again are given the
# replaced copy for at most this long (never more than 2 s), then wait for the render (at most
# DATELINE_RENDER_WAIT_SECONDS, after which a renderer is presumed dead). Kills keep no copy.
DATELINE_STALE_SECONDS = min(env_int("DATELINE_STALE_SECONDS", 2), 2)
DATELINE_RENDER_WAIT_SECONDS = env_int("DATELINE_RENDER_WAIT_SECONDS", 10)
DATELINE_BROWSER_MAX_AGE = env_int("DATELINE_BROWSER_MAX_AGE", 60)  # Cache-Control max-age
DATELINE_CDN_MAX_AGE = env_int("DATELINE_CDN_MAX_AGE", 300)  # s-maxage
DATELINE_STALE_WHILE_REVALIDATE = env_int("DATELINE_STALE_WHILE_REVALIDATE", 60)
DATELINE_STALE_IF_ERROR = env_int("DATELINE_STALE_IF_ERROR", 86400)

# Purges for a CDN or proxy in front, through Wagtail's frontend-cache backends:
# DATELINE_PURGE_URL (an HTTP cache taking PURGE requests, e.g. http://127.0.0.1:6081/), or
# DATELINE_CLOUDFLARE_ZONE and DATELINE_CLOUDFLARE_TOKEN.
WAGTAILFRONTENDCACHE = {}
if env_str("DATELINE_PURGE_URL"):
    WAGTAILFRONTENDCACHE["proxy"] = {
        "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
        "LOCATION": env_str("DATELINE_PURGE_URL"),
    }
if env_str("DATELINE_CLOUDFLARE_ZONE"):
    WAGTAILFRONTENDCACHE["cloudflare"] = {
        "BACKEND": "wagtail.contrib.frontend_cache.backends.CloudflareBackend",
        "ZONEID": env_str("DATELINE_CLOUDFLARE_ZONE"),
        "BEARER_TOKEN": env_str("DATELINE_CLOUDFLARE_TOKEN"),
    }

# EMAIL_URL: e.g. smtp://user:pass@mail.example.org:587/?tls=True. Default: every message
# is written as an .eml file under DATELINE_HOME/outbox, so nothing is lost without a server.
EMAIL_URL = env_str("EMAIL_URL")
if EMAIL_URL:
    vars().update(dj_email_url.parse(EMAIL_URL))
else:
    EMAIL_BACKEND = "dateline.backends.outbox.OutboxEmailBackend"
# DATELINE_EMAIL_SERVICE: send through an e-mail service's API with django-anymail instead, e.g.
# "postmark", "mailgun", "amazon_ses", "sendgrid" (anymail's backend names); its settings come from
# ANYMAIL_* variables (ANYMAIL_POSTMARK_SERVER_TOKEN=...). ANYMAIL_WEBHOOK_SECRET ("user:password")
# turns on the service's tracking webhooks under /anymail/: hard bounces and complaints suppress
# the address (newsletters/suppression.py).
DATELINE_EMAIL_SERVICE = env_str("DATELINE_EMAIL_SERVICE")
if DATELINE_EMAIL_SERVICE:
    import importlib.util

    _service = DATELINE_EMAIL_SERVICE.strip().lower()
    if not _service.isidentifier() or importlib.util.find_spec(f"anymail.backends.{_service}") is None:
        raise ImproperlyConfigured(
            f"DATELINE_EMAIL_SERVICE={DATELINE_EMAIL_SERVICE!r} is not an e-mail service django-anymail knows "
            "(e.g. postmark, mailgun, amazon_ses, sendgrid, brevo, sparkpost)"
        )
    EMAIL_BACKEND = f"anymail.backends.{_service}.EmailBackend"
ANYMAIL = {name.removeprefix("ANYMAIL_"): value for name, value in os.environ.items() if name.startswith("ANYMAIL_")}
# DATELINE_EMAIL_TIMEOUT: seconds a mail server may take to answer before the send is tried again
# later (EMAIL_URL's ?timeout= wins).
EMAIL_TIMEOUT = vars().get("EMAIL_TIMEOUT") or env_int("DATELINE_EMAIL_TIMEOUT", 60)
DEFAULT_FROM_EMAIL = env_str("DATELINE_FROM_EMAIL", f"{DATELINE_SITE_NAME} <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Argon2 for new and changed passwords; older hashes still verify and are upgraded at sign-in.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

STATIC_URL = "/static/"
MEDIA_URL = "/media/"
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "dateline.backends.staticfiles.StaticStorage"},
}
# DATELINE_SERVE_MEDIA: let the app server serve uploaded images (fine for one machine;
# put nginx or a CDN in front at scale).
DATELINE_SERVE_MEDIA = env_bool("DATELINE_SERVE_MEDIA", True)

DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000
# Request bodies (dateline/bodies.py): at most DATELINE_BODY_MAX_KB on the public site (forms) and
# DATELINE_ADMIN_BODY_MAX_MB in the admin (uploads); larger ones are refused unread.
DATELINE_BODY_MAX_KB = env_int("DATELINE_BODY_MAX_KB", 256)
DATELINE_ADMIN_BODY_MAX_MB = env_int("DATELINE_ADMIN_BODY_MAX_MB", 30)

WAGTAILIMAGES_IMAGE_MODEL = "news.NewsImage"
# Uploaded pictures: only image types, at most DATELINE_IMAGE_MAX_MB megabytes and
# DATELINE_IMAGE_MAX_MEGAPIXELS million pixels (a "decompression bomb" is refused with a message).
WAGTAILIMAGES_EXTENSIONS = ["jpg", "jpeg", "png", "gif", "webp"]
WAGTAILIMAGES_MAX_UPLOAD_SIZE = env_int("DATELINE_IMAGE_MAX_MB", 20) * 1024 * 1024
WAGTAILIMAGES_MAX_IMAGE_PIXELS = env_int("DATELINE_IMAGE_MAX_MEGAPIXELS", 50) * 1_000_000
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "dateline.search.backend"}}
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "rtf", "txt", "xlsx"]
WAGTAIL_I18N_ENABLED = False

# Content-Security-Policy for the public site: scripts and styles only from our own origin,
# never inline. The admin is Wagtail's own and is left to Wagtail.
CONTENT_SECURITY_POLICY = {
    "EXCLUDE_URL_PREFIXES": ["/admin/", "/django-admin/"],
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    },
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
X_FRAME_OPTIONS = "SAMEORIGIN"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"one_line": {"()": "dateline.logs.OneLine"}},
    "formatters": {"probe": {"format": "%(levelname)s %(name)s: %(message)s"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler"},
        # Probes (a disallowed host, ".." in a path): one line each, with who asked, no traceback.
        "probes": {"class": "logging.StreamHandler", "filters": ["one_line"], "formatter": "probe"},
    },
    "root": {"handlers": ["console"], "level": env_str("DATELINE_LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # Wagtail's background tasks run inline here; their start/finish lines are noise.
        "django_tasks": {"level": "WARNING"},
        "django.tasks": {"level": "WARNING"},
        "wagtail": {"level": "WARNING"},
        "axes": {"level": "WARNING"},  # each failed sign-in is recorded in the database (Django admin > Axes)
        "django.security": {"handlers": ["probes"], "propagate": False},
    },
}
