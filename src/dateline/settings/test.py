"""The test suite: a data folder of its own, fast hashing, plain static storage."""

import os
import tempfile
from pathlib import Path

os.environ.setdefault("DATELINE_HOME", tempfile.mkdtemp(prefix="dateline-test-"))
if os.environ.get("PYTEST_XDIST_WORKER"):  # parallel workers (make test-fast): a data folder, so caches, each
    os.environ["DATELINE_HOME"] = str(Path(os.environ["DATELINE_HOME"]) / os.environ["PYTEST_XDIST_WORKER"])
    Path(os.environ["DATELINE_HOME"]).mkdir(parents=True, exist_ok=True)

from .base import *  # noqa: E402,F401,F403
from .base import SECRET_KEY as _SECRET_KEY  # noqa: E402

DEBUG = False
# The wire tests were written for a site that publishes agency copy at once; the wire desk's tests
# set "hold" (the production default) themselves.
DATELINE_INGEST_DEFAULT = os.environ.get("DATELINE_INGEST_DEFAULT", "publish")
SECRET_KEY = _SECRET_KEY or "test-only-not-secret-dateline"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]

# Static files come straight from the apps' folders; no collectstatic before a test run.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
Path(STATIC_ROOT).mkdir(parents=True, exist_ok=True)  # noqa: F405

# Tests make many requests from one address; the limits' own tests set them low.
DATELINE_SEARCH_RATE_LIMIT = DATELINE_API_RATE_LIMIT = DATELINE_FORM_RATE_LIMIT = 0
