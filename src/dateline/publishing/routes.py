"""Which addresses are the same for every reader (cacheable, publishable as files) and which are not.

One list, read by the page cache, the static publisher and the nginx configuration alike.
"""

# Addresses that answer each reader differently, take input or are served from files already.
DYNAMIC_PREFIXES = (
    "/admin/",
    "/django-admin/",
    "/search/",
    "/api/",
    "/documents/",
    "/media/",
    "/static/",
    "/newsletters/",  # forms with a token, and links that name a subscriber
    "/anymail/",  # the e-mail service's webhooks
)
# The email form under every story (and its thank-you page).
DYNAMIC_SUFFIXES = ("/email/", "/email/sent/")


def is_public_path(path: str) -> bool:
    """True for an address whose answer is the same for every anonymous reader."""
    return not path.startswith(DYNAMIC_PREFIXES) and not path.endswith(DYNAMIC_SUFFIXES)
