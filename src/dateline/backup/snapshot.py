"""Backups: a consistent snapshot of the database and the media files, with a manifest of checksums.

A backup folder holds ``database.sqlite3`` (SQLite's online backup API: a consistent copy while
the site keeps serving and writing) or ``database.pgdump`` (pg_dump's custom format: one
transaction's snapshot), ``media/`` (uploaded and imported pictures, copied after the database,
so every file the database names is there), and ``manifest.json`` (what, when, from which
schema, and the size and SHA-256 of every file). It is written under a temporary name and
renamed into place when complete, so a folder named DIR is always a whole backup.

Restore checks every checksum before it touches anything, then puts the database and the media
back and empties the caches.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tempfile
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.core.cache import caches
from django.db import connections

FORMAT = 1
MANIFEST = "manifest.json"


class BackupError(Exception):
    """A backup cannot be written or restored; the message says which file or setting and why."""


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _engine() -> str:
    engine = settings.DATABASES["default"]["ENGINE"]
    if engine.endswith("sqlite3"):
        return "sqlite"
    if engine.endswith("postgresql"):
        return "postgresql"
    raise BackupError(f"backups support SQLite and PostgreSQL, not {engine}")


def _pg_env() -> tuple[list[str], dict]:
    db = settings.DATABASES["default"]
    args = [
        "--host",
        db.get("HOST") or "127.0.0.1",
        "--port",
        str(db.get("PORT") or 5432),
        "--username",
        db.get("USER") or "postgres",
        "--dbname",
        db["NAME"],
    ]
    env = {**os.environ, "PGPASSWORD": db.get("PASSWORD") or ""}
    return args, env


def _pg_tool(name: str) -> str:
    found = shutil.which(name) or next(
        iter(sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"), reverse=True)), None
    )
    if not found:
        raise BackupError(f"{name} not found: install PostgreSQL's client programs (apt install postgresql-client)")
    return str(found)


def _migrations() -> dict[str, str]:
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT app, MAX(name) FROM django_migrations GROUP BY app ORDER BY app")
        return dict(cursor.fetchall())


def backup(target: Path) -> dict:
    """Write a backup to ``target`` (which must not exist yet); returns the manifest."""
    target = target.resolve()
    if target.exists():
        raise BackupError(f"{target} already exists: a backup goes to a new folder")
    target.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{target.name}-", dir=target.parent))
    try:
        engine = _engine()
        if engine == "sqlite":
            source = sqlite3.connect(settings.DATABASES["default"]["NAME"], timeout=30)
            copy = sqlite3.connect(work / "database.sqlite3")
            with copy:
                source.backup(copy)
            copy.close()
            source.close()
        else:
            args, env = _pg_env()
            done = subprocess.run(
                [_pg_tool("pg_dump"), "--format=custom", "--no-owner", "--file", str(work / "database.pgdump"), *args],
                env=env,
                capture_output=True,
                text=True,
            )
            if done.returncode:
                raise BackupError(f"pg_dump failed: {done.stderr.strip()}")
        media = Path(settings.MEDIA_ROOT)
        if media.is_dir():
            shutil.copytree(media, work / "media", symlinks=False)
        else:
            (work / "media").mkdir()
        files = {
            str(path.relative_to(work)): {"size": path.stat().st_size, "sha256": _sha256(path)}
            for path in sorted(work.rglob("*"))
            if path.is_file()
        }
        manifest = {
            "format": FORMAT,
            "created": datetime.now().astimezone().isoformat(timespec="seconds"),
            "database": engine,
            "migrations": _migrations(),
            "site": settings.DATELINE_SITE_URL,
            "files": files,
        }
        (work / MANIFEST).write_text(json.dumps(manifest, indent=1), encoding="utf-8")
        os.replace(work, target)
        return manifest
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise


def verify(source: Path) -> dict:
    """The manifest, once every file it lists is present with its size and checksum."""
    manifest_path = source / MANIFEST
    if not manifest_path.is_file():
        raise BackupError(f"{source} is not a Dateline backup: {MANIFEST} is missing")
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    except ValueError as error:
        raise BackupError(f"{manifest_path} is not valid JSON: {error}") from None
    if manifest.get("format") != FORMAT:
        raise BackupError(f"{manifest_path}: backup format {manifest.get('format')!r} is not {FORMAT}")
    for name, expected in manifest["files"].items():
        path = source / name
        if not path.is_file():
            raise BackupError(f"{name} is listed in the manifest but missing from {source}")
        if path.stat().st_size != expected["size"] or _sha256(path) != expected["sha256"]:
            raise BackupError(f"{name} does not match its checksum in the manifest: the backup is damaged")
    listed = set(manifest["files"]) | {MANIFEST}
    extra = [
        str(p.relative_to(source))
        for p in source.rglob("*")
        if p.is_file() and str(p.relative_to(source)) not in listed
    ]
    if extra:
        raise BackupError(f"{source} holds files the manifest does not list: {', '.join(sorted(extra)[:5])}")
    return manifest


def restore(source: Path) -> dict:
    """Bring this install back to the backup in ``source``; returns its manifest."""
    source = source.resolve()
    manifest = verify(source)
    engine = _engine()
    if manifest["database"] != engine:
        raise BackupError(
            f"the backup holds a {manifest['database']} database; this install uses {engine} "
            "(set DATABASE_URL to match)"
        )
    connections.close_all()
    if engine == "sqlite":
        database = Path(settings.DATABASES["default"]["NAME"])
        database.parent.mkdir(parents=True, exist_ok=True)
        staged = database.with_name(database.name + ".restoring")
        shutil.copyfile(source / "database.sqlite3", staged)
        for suffix in ("-wal", "-shm"):
            Path(str(database) + suffix).unlink(missing_ok=True)
        os.replace(staged, database)
    else:
        args, env = _pg_env()
        done = subprocess.run(
            [
                _pg_tool("pg_restore"),
                "--clean",
                "--if-exists",
                "--no-owner",
                "--single-transaction",
                *args,
                str(source / "database.pgdump"),
            ],
            env=env,
            capture_output=True,
            text=True,
        )
        if done.returncode:
            raise BackupError(f"pg_restore failed: {done.stderr.strip()[-2000:]}")
    media = Path(settings.MEDIA_ROOT)
    staged_media = media.with_name(media.name + ".restoring")
    shutil.rmtree(staged_media, ignore_errors=True)
    shutil.copytree(source / "media", staged_media)
    if media.exists():
        old = media.with_name(media.name + ".old")
        shutil.rmtree(old, ignore_errors=True)
        os.replace(media, old)
        os.replace(staged_media, media)
        shutil.rmtree(old)
    else:
        os.replace(staged_media, media)
    for alias in caches:
        caches[alias].clear()  # pages and lists from before the restore must not be served
    return manifest
