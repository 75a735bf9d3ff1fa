"""Limits for images people upload (a municipality's logo).

An image's cost is its pixels, not its file size: a 1 MB PNG of one colour can
claim 12,000 × 12,000 pixels and take half a gigabyte to decode. The size is
read from the file's header, before anything is decoded.
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image

MAX_SIDE = 4000  # pixels, either way
MAX_PIXELS = 16_000_000


def within_limits(width: int, height: int) -> bool:
    return 0 < width <= MAX_SIDE and 0 < height <= MAX_SIDE and width * height <= MAX_PIXELS


def usable_image(path: Path) -> bool:
    """Whether the image file at ``path`` is a PNG or JPEG within the limits,
    judged from its header (for a file stored before the limits existed)."""
    try:
        with Image.open(path) as image:
            return image.format in ("PNG", "JPEG") and within_limits(*image.size)
    except (OSError, ValueError, Image.DecompressionBombError):
        return False
