"""Uploaded images, for every app: what a file holds is read from its content, never from
the name or the type the browser sent, both chosen by the client.

A PNG sent as ``logo.pdf`` is stored as ``.png`` and served as ``image/png``; a stored file
that holds anything but one of the accepted formats is not served at all.
"""

from dataclasses import dataclass
from pathlib import Path

from django.http import FileResponse, Http404
from PIL import Image


@dataclass(frozen=True)
class ImageType:
    extension: str
    content_type: str


# Pillow's name of each accepted format: raster images only (an SVG can carry scripts).
IMAGE_TYPES = {
    "PNG": ImageType("png", "image/png"),
    "JPEG": ImageType("jpg", "image/jpeg"),
    "WEBP": ImageType("webp", "image/webp"),
}
# The extension of a file whose content is none of them: no browser renders it.
UNKNOWN_EXTENSION = "bin"


def image_type(file) -> ImageType | None:
    """The type of the image ``file`` holds, or None if it holds anything else. Pillow
    reads the header only, trying the accepted formats only; the position is kept."""
    position = file.tell()
    try:
        file.seek(0)
        with Image.open(file, formats=list(IMAGE_TYPES)) as image:
            return IMAGE_TYPES.get(image.format)
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        return None  # not an image (OSError covers Pillow's UnidentifiedImageError)
    finally:
        file.seek(position)


def image_extension(file) -> str:
    """The extension to store ``file`` under, from its content."""
    kind = image_type(file)
    return kind.extension if kind else UNKNOWN_EXTENSION


def image_response(field_file) -> FileResponse:
    """The stored image of a FileField, with the type its content shows; 404 when there is
    none, or when the file is not one of the accepted images (whatever its name says)."""
    if not field_file:
        raise Http404
    try:
        handle = field_file.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    kind = image_type(handle)
    if kind is None:
        handle.close()
        raise Http404
    response = FileResponse(
        handle,
        content_type=kind.content_type,
        # A file stored before names came from content may be called .pdf: not when saved.
        filename=f"{Path(field_file.name).stem}.{kind.extension}",
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
