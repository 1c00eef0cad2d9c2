"""Production settings on one machine, for trying Dateline out (`make run`).

Everything production checks stays on (no debug pages, real security headers, the page cache);
only what a trial machine cannot be expected to have is filled in: a secret key generated once
and kept in ``$DATELINE_HOME/secret-key`` (readable by its owner only), the local host names, the
address ``make run`` serves on, and plain HTTP. Any of them set in the environment wins.
"""

import os
import secrets
from pathlib import Path

_home = Path(os.environ.get("DATELINE_HOME") or "var").resolve()
if not os.environ.get("DATELINE_SECRET_KEY"):
    _key_file = _home / "secret-key"
    if not _key_file.exists():
        _home.mkdir(parents=True, exist_ok=True)
        try:
            _descriptor = os.open(_key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:  # another process made it a moment ago
            pass
        else:
            with os.fdopen(_descriptor, "w") as _out:
                _out.write(secrets.token_urlsafe(50))
    os.environ["DATELINE_SECRET_KEY"] = _key_file.read_text().strip()
os.environ.setdefault("DATELINE_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
os.environ.setdefault("DATELINE_SITE_URL", "http://127.0.0.1:8000")
os.environ.setdefault("DATELINE_HTTPS", "false")

from .production import *  # noqa: E402,F401,F403
