"""A mail backend that writes each message as an .eml file in the outbox folder.

The default when no ``EMAIL_URL`` is set: nothing is lost without a mail server, and an
operator can read, forward or replay every message (.eml opens in any mail program)."""

import os
import tempfile
import threading
import uuid
from pathlib import Path

from django.conf import settings
from django.core.mail.backends.base import BaseEmailBackend
from django.utils import timezone


class OutboxEmailBackend(BaseEmailBackend):
    def __init__(self, *args, outbox: str | os.PathLike | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.outbox = Path(outbox or settings.DATELINE_OUTBOX)
        self._lock = threading.Lock()

    def send_messages(self, email_messages) -> int:
        self.outbox.mkdir(parents=True, exist_ok=True)
        sent = 0
        with self._lock:
            for message in email_messages:
                if not message.recipients():
                    continue
                name = f"{timezone.now():%Y%m%d-%H%M%S}-{uuid.uuid4().hex[:12]}.eml"
                data = message.message().as_bytes(linesep="\r\n")
                # Write under a temporary name, then rename: a reader never sees half a message.
                fd, tmp = tempfile.mkstemp(dir=self.outbox, prefix=".", suffix=".tmp")
                try:
                    with os.fdopen(fd, "wb") as handle:
                        handle.write(data)
                    os.replace(tmp, self.outbox / name)
                except BaseException:
                    Path(tmp).unlink(missing_ok=True)
                    if not self.fail_silently:
                        raise
                    continue
                sent += 1
        return sent
