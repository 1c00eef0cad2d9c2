"""Static publishing: every public address written as a file, for nginx to serve at full speed.

``/world/story/`` becomes ``DIR/world/story/index.html``, a feed ``DIR/feeds/rss/index.xml``
(``index.json`` for JSON Feed), ``/sitemap.xml`` and ``/robots.txt`` keep their names, and the
collected static assets go under ``DIR/static/``. Each file is written only when its bytes
changed, through a temporary file renamed over the old one, so nginx never serves half a page.
An address that no longer answers 200 (an unpublished story) loses its file.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.test import Client

from .models import StaticTarget
from .routes import is_public_path

log = logging.getLogger(__name__)
MANIFEST = ".dateline-static.json"
SUFFIX_BY_TYPE = {
    "application/feed+json": "json",
    "application/json": "json",
    "application/rss+xml": "xml",
    "application/atom+xml": "xml",
    "application/xml": "xml",
    "text/xml": "xml",
}


@dataclass
class Tally:
    written: int = 0
    unchanged: int = 0
    removed: int = 0
    failed: list[str] = field(default_factory=list)


def file_for(root: Path, path: str, content_type: str = "text/html") -> Path:
    """Where the file for an address goes (``path`` starts with /)."""
    relative = path.lstrip("/")
    if path.endswith("/"):
        kind = SUFFIX_BY_TYPE.get(content_type.split(";")[0].strip(), "html")
        relative += f"index.{kind}"
    target = (root / relative).resolve()
    if root.resolve() not in target.parents:
        raise ValueError(f"{path!r} is outside the static folder")
    return target


def write_atomic(target: Path, data: bytes) -> bool:
    """Write ``data`` to ``target`` unless it already holds exactly that; True when written."""
    try:
        if target.stat().st_size == len(data) and target.read_bytes() == data:
            return False
    except FileNotFoundError:
        pass
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".tmp-", suffix=target.suffix)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.chmod(temporary, 0o644)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return True


def _client() -> Client:
    host = settings.DATELINE_SITE_URL.split("://", 1)[-1].split("/", 1)[0]
    secure = settings.DATELINE_SITE_URL.startswith("https://")
    return Client(HTTP_HOST=host, secure=secure, raise_request_exception=False)


def _candidates(root: Path, path: str) -> list[Path]:
    if not path.endswith("/"):
        return [file_for(root, path)]
    return [file_for(root, path, kind) for kind in ("text/html", "application/xml", "application/json")]


def render_into(root: Path, paths: Iterable[str], tally: Tally | None = None) -> Tally:
    """Render each address and write, keep or remove its file under ``root``."""
    tally = tally or Tally()
    client = _client()
    for path in paths:
        if not is_public_path(path) or "?" in path:
            continue
        try:
            response = client.get(path)
        except Exception:  # one page that fails to render must not stop the others
            log.exception("static publishing: %s failed to render", path)
            tally.failed.append(path)
            continue
        if response.status_code == 200:
            target = file_for(root, path, response.get("Content-Type", "text/html"))
            if write_atomic(target, response.content):
                tally.written += 1
            else:
                tally.unchanged += 1
        elif response.status_code in (301, 302, 404, 410):
            for stale in _candidates(root, path):
                if stale.exists():
                    stale.unlink()
                    tally.removed += 1
        else:
            log.error("static publishing: %s answered %s", path, response.status_code)
            tally.failed.append(path)
    return tally


def copy_assets(root: Path, tally: Tally) -> None:
    """The collected static assets (run collectstatic first) under ``root/static/``, changed files only."""
    source = Path(settings.STATIC_ROOT)
    for item in source.rglob("*"):
        if item.is_file():
            target = root / "static" / item.relative_to(source)
            if write_atomic(target, item.read_bytes()):
                tally.written += 1
            else:
                tally.unchanged += 1


def publish_all(root: Path, paths: list[str]) -> Tally:
    """Write every address; files an earlier run wrote for addresses now gone are removed."""
    root.mkdir(parents=True, exist_ok=True)
    manifest = root / MANIFEST
    before = set(json.loads(manifest.read_text())) if manifest.exists() else set()
    tally = render_into(root, paths)
    copy_assets(root, tally)
    render_into(root, sorted(before - set(paths)), tally)  # gone addresses answer 404 now: their files go
    write_atomic(manifest, json.dumps(sorted(set(paths)), indent=0).encode())
    StaticTarget.objects.get_or_create(path=str(root.resolve()))
    return tally


def refresh(paths: list[str]) -> None:
    """After a publish: rewrite these addresses in every registered static folder."""
    for target in StaticTarget.objects.all():
        root = Path(target.path)
        if not root.is_dir():
            log.error("static folder %s is gone; run `dateline publish-static %s` again", root, root)
            continue
        tally = render_into(root, paths)
        log.info("static %s: %d written, %d unchanged, %d removed", root, tally.written, tally.unchanged, tally.removed)


def forget(root: Path, delete: bool = False) -> bool:
    removed, _ = StaticTarget.objects.filter(path=str(root.resolve())).delete()
    if delete and root.is_dir():
        shutil.rmtree(root)
    return bool(removed)
