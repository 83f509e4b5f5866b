"""Business photos: the platform's image check and re-encoding (core.images.image_reencode).

Re-encoding from the pixels drops EXIF/GPS and every other metadata; the stored
name is random. Photos are scaled to at most 1600 px: enough for a shop window.
"""

from __future__ import annotations

from typing import Any

from django.core.files.base import ContentFile

from core.images import image_reencode

MAX_SIDE = 1600


def photo_prepare(upload: Any) -> ContentFile:
    """A clean copy of `upload`, or ValidationError with a message for the uploader (not an image, too large)."""
    return image_reencode(upload, max_side=MAX_SIDE)
