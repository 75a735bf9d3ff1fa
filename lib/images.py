"""Limits for images people upload (a municipality's logo).

An image's cost is its pixels, not its file size: a 1 MB PNG of one colour can
claim 12,000 × 12,000 pixels and take half a gigabyte to decode. The size is
read from the file's header, before anything is decoded.
"""

from __future__ import annotations

import hashlib
import io
import tempfile
from pathlib import Path
from typing import BinaryIO

from PIL import Image

MAX_SIDE = 4000  # pixels, either way
MAX_PIXELS = 16_000_000


def within_limits(width: int, height: int) -> bool:
    return 0 < width <= MAX_SIDE and 0 < height <= MAX_SIDE and width * height <= MAX_PIXELS


def usable_image(path: Path | BinaryIO) -> bool:
    """Whether the image file at ``path`` (or an open binary file) is a PNG or JPEG
    within the limits, judged from its header (for a file stored before the limits existed)."""
    try:
        with Image.open(path) as image:
            return image.format in ("PNG", "JPEG") and within_limits(*image.size)
    except (OSError, ValueError, Image.DecompressionBombError):
        return False


# At most this many bytes are read from storage for an image: uploads are limited to 1 MB.
MAX_STORED_BYTES = 2_000_000


def local_copy(field_file) -> Path | None:
    """A local file with the content of a stored image (an ImageField's file), for the
    renderers that take a path; None if there is none, or it is unreadable or not usable.

    Read through the storage (the file system, a shared directory or a bucket), never from
    a path the storage may not have. The copy is named by its content's hash in the
    temporary directory, so a worker renders many reports from one copy, and a changed
    logo gets a new one."""
    if not field_file:
        return None
    try:
        with field_file.storage.open(field_file.name, "rb") as stored:
            data = stored.read(MAX_STORED_BYTES + 1)
    except (OSError, ValueError):
        return None
    if len(data) > MAX_STORED_BYTES:
        return None
    if not usable_image(io.BytesIO(data)):
        return None
    folder = Path(tempfile.gettempdir()) / "inkludera-images"
    folder.mkdir(mode=0o700, exist_ok=True)
    path = folder / (hashlib.sha256(data).hexdigest() + Path(field_file.name).suffix.lower()[:5])
    if not path.exists():
        handle, partial = tempfile.mkstemp(dir=folder, suffix=".part")
        with open(handle, "wb") as out:
            out.write(data)
        Path(partial).replace(path)  # atomic: a parallel render never reads half a file
    return path
