"""Uploaded pictures: accept only real images, store them without their metadata.

The platform's one image helper: town branding, news images, business and
listing photos all go through it, so every upload gets the same checks.
"""

from __future__ import annotations

import io
import uuid
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile, File
from django.utils import formats
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

# Pillow decodes these safely; SVG is left out on purpose (it can carry script).
_OUTPUT_FORMAT = {"JPEG": "JPEG", "MPO": "JPEG", "PNG": "PNG", "GIF": "PNG", "WEBP": "WEBP"}
_EXTENSION = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
# Refused before decoding: a tiny file can claim a huge canvas (a "decompression bomb").
MAX_IMAGE_SIDE = 10_000
MAX_IMAGE_PIXELS = 50_000_000



def image_reencode(upload: File[Any], *, max_side: int = 2400) -> ContentFile[bytes]:
    """A clean copy of an uploaded image, or ValidationError with a message for the uploader.

    Checks it is a real PNG/JPEG/GIF/WebP within the size limits, applies the
    EXIF rotation, scales it down to `max_side` and encodes it anew, which
    drops EXIF (GPS position, camera serial), XMP and comments. The stored
    name is random: an upload's own file name can carry personal data.
    """
    limit = settings.MAX_IMAGE_UPLOAD_BYTES
    if upload.size is not None and upload.size > limit:
        raise ValidationError(
            _("The image is %(size)s MB; at most %(limit)s MB are allowed.")
            % {"size": formats.number_format(upload.size / 1024 / 1024, 1),
               "limit": formats.number_format(limit / 1024 / 1024, 0)},
            code="too_large",
        )
    upload.seek(0)
    raw = upload.read(limit + 1)
    if len(raw) > limit:
        raise ValidationError(_("The image is larger than allowed."), code="too_large")
    not_an_image = ValidationError(
        _("This file is not an image we can use. Upload a PNG, JPEG, GIF or WebP picture."), code="invalid_image"
    )
    try:
        with Image.open(io.BytesIO(raw)) as probe:
            kind = probe.format
            width, height = probe.size
            if kind not in _OUTPUT_FORMAT:
                raise not_an_image
            if max(width, height) > MAX_IMAGE_SIDE or width * height > MAX_IMAGE_PIXELS:
                raise ValidationError(
                    _("The image is %(width)s × %(height)s pixels; at most %(max)s pixels per side are allowed.")
                    % {"width": width, "height": height, "max": MAX_IMAGE_SIDE},
                    code="too_big_dimensions",
                )
            probe.verify()
        with Image.open(io.BytesIO(raw)) as source:
            source.load()
            image = ImageOps.exif_transpose(source)
    except ValidationError:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise not_an_image from None

    out_format = _OUTPUT_FORMAT[kind]
    image.thumbnail((max_side, max_side))
    if out_format == "JPEG":
        image = image.convert("RGB")
    elif image.mode not in ("RGB", "RGBA", "L", "LA"):
        image = image.convert("RGBA")
    buffer = io.BytesIO()
    options: dict[str, Any] = {"quality": 85} if out_format in ("JPEG", "WEBP") else {"optimize": True}
    # A new image object has no .info, so nothing of the original metadata is written.
    clean = Image.new(image.mode, image.size)
    clean.paste(image)
    clean.save(buffer, format=out_format, **options)
    return ContentFile(buffer.getvalue(), name=f"{uuid.uuid4().hex}.{_EXTENSION[out_format]}")


def image_check(upload: File[Any]) -> None:
    """Raise ValidationError (with a message for the uploader) unless `upload` is an image we accept.

    For early form feedback; the re-encoding on save checks again.
    """
    image_reencode(upload, max_side=64)
    upload.seek(0)
