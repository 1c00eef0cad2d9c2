"""A developer's machine: debug on by default, a fixed throwaway secret key."""

from .base import *  # noqa: F401,F403
from .base import SECRET_KEY as _SECRET_KEY
from .base import env_bool

DEBUG = env_bool("DATELINE_DEBUG", True)
SECRET_KEY = _SECRET_KEY or "dev-only-not-secret-dateline"

# Serve static files from the apps' folders, so an edit shows on the next reload.
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG
