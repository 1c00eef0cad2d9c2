"""Pictures named by wire stories -> NewsImage records.

A local href (a path, or a file: URL, relative to the folder the story came from) is imported
once (the same file again reuses its image). An http(s) href is only recorded: Dateline never
fetches from an agency's server on its own. Anything else is refused with a reason.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlparse

from django.conf import settings
from django.core.files.images import ImageFile
from PIL import Image, UnidentifiedImageError

from dateline.news.models import NewsImage

from .story import WirePhoto

IMAGE_FORMATS = {"JPEG", "PNG", "GIF", "WEBP"}


@dataclass(frozen=True)
class PhotoOutcome:
    image: NewsImage | None = None
    remote_url: str = ""
    note: str = ""  # why a local picture was not imported


def _local_path(href: str, base_dir: Path | None) -> Path | str:
    """The file a local href names, or the reason it cannot be used."""
    parsed = urlparse(href)
    if parsed.scheme == "file":
        raw = unquote(parsed.path).strip()
        if parsed.netloc not in ("", "localhost", "."):
            raw = parsed.netloc + raw  # "file:///./pic.jpg" and "file://./pic.jpg" both mean beside the story
    elif parsed.scheme == "":
        raw = unquote(href).strip()
    else:
        return f"{href}: the {parsed.scheme}: scheme is not supported"
    if base_dir is None:
        return f"{href}: no folder to look in"
    base = base_dir.resolve()
    path = Path(raw.lstrip("/")) if raw.startswith("/./") else Path(raw)
    path = (base / path).resolve() if not path.is_absolute() else path.resolve()
    if not path.is_relative_to(base):
        return f"{href}: outside the folder the story came from"
    if not path.is_file():
        return f"{href}: not found beside the story"
    return path


def import_photo(photo: WirePhoto, title: str, base_dir: Path | None) -> PhotoOutcome:
    href = photo.href.strip()
    if not href:
        return PhotoOutcome()
    if urlparse(href).scheme in ("http", "https"):
        return PhotoOutcome(remote_url=href[:500])
    path = _local_path(href, base_dir)
    if isinstance(path, str):
        return PhotoOutcome(note=path)
    if path.stat().st_size > settings.DATELINE_WIRE_MAX_BYTES:
        return PhotoOutcome(note=f"{href}: larger than {settings.DATELINE_WIRE_MAX_BYTES // (1024 * 1024)} MB")
    data = path.read_bytes()
    try:
        with Image.open(path) as picture:
            kind = picture.format
            if picture.width * picture.height > settings.WAGTAILIMAGES_MAX_IMAGE_PIXELS:
                return PhotoOutcome(
                    note=f"{href}: {picture.width}x{picture.height} pixels is more than the "
                    f"{settings.WAGTAILIMAGES_MAX_IMAGE_PIXELS // 1_000_000} million allowed"
                )
            picture.verify()
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError, SyntaxError) as exc:
        return PhotoOutcome(note=f"{href}: not a readable image ({exc.__class__.__name__})")
    if kind not in IMAGE_FORMATS:
        return PhotoOutcome(note=f"{href}: {kind} pictures are not accepted (JPEG, PNG, GIF or WebP)")
    digest = hashlib.sha1(data).hexdigest()
    existing = NewsImage.objects.filter(file_hash=digest).first()
    if existing is not None:
        return PhotoOutcome(image=existing)
    with path.open("rb") as handle:
        image = NewsImage(
            title=(photo.caption or title)[:255] or path.name,
            caption=photo.caption,
            credit=photo.credit[:255],
            file=ImageFile(handle, name=path.name),
            file_hash=digest,  # Wagtail's own hash: sha1 of the file, used to find duplicates
            file_size=len(data),
        )
        image.save()
    return PhotoOutcome(image=image)
