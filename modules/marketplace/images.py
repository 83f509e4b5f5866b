"""Uploaded listing photos: accept only real pictures, and store them without their metadata.

The same rules as the news module's images; a copy, because modules never import each other's
internals (modules/README.md, rule 8).
"""

from __future__ import annotations

import io
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

# Pillow format -> (file extension, save options). GIFs are flattened to PNG.
_FORMATS = {
    "JPEG": ("jpg", {"format": "JPEG", "quality": 85, "optimize": True}),
    "PNG": ("png", {"format": "PNG", "optimize": True}),
    "WEBP": ("webp", {"format": "WEBP", "quality": 85}),
    "GIF": ("png", {"format": "PNG", "optimize": True}),
}
MAX_EDGE = 1600  # pixels; larger photos are scaled down, which also bounds decoding cost


def image_validate(upload) -> str:
    """Raise ValidationError unless `upload` is a JPEG, PNG, WebP or GIF photo of acceptable size.

    Returns the Pillow format name.
    """
    if upload.size > settings.MAX_IMAGE_UPLOAD_BYTES:
        limit = settings.MAX_IMAGE_UPLOAD_BYTES // (1024 * 1024)
        raise ValidationError(_("The image is too large (at most %(mb)s MB).") % {"mb": limit}, code="too_large")
    try:
        upload.seek(0)
        with Image.open(upload) as probe:
            image_format = probe.format
            probe.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise ValidationError(_("This file is not a picture we can use."), code="invalid_image") from None
    finally:
        upload.seek(0)
    if image_format not in _FORMATS:
        raise ValidationError(_("Please upload a JPEG, PNG, WebP or GIF picture."), code="invalid_format")
    return image_format


def image_prepare(upload) -> ContentFile:
    """A re-encoded copy of `upload`: rotated upright, scaled down, and without EXIF/GPS or other metadata.

    Re-encoding from the pixels is what strips metadata reliably: nothing but
    the image data survives. The file gets a random name, so an uploader's
    file name (often a person's name or a date) never becomes public.
    """
    image_format = image_validate(upload)
    extension, options = _FORMATS[image_format]
    upload.seek(0)
    with Image.open(upload) as original:
        picture = ImageOps.exif_transpose(original)
        picture.thumbnail((MAX_EDGE, MAX_EDGE))
        if options["format"] == "JPEG" and picture.mode not in ("RGB", "L"):
            picture = picture.convert("RGB")
        elif options["format"] in ("PNG", "WEBP") and picture.mode not in ("RGB", "RGBA", "L", "LA"):
            picture = picture.convert("RGBA")
        clean = Image.new(picture.mode, picture.size)
        clean.paste(picture)
        out = io.BytesIO()
        clean.save(out, **options)
    return ContentFile(out.getvalue(), name=f"{uuid.uuid4().hex}.{extension}")
