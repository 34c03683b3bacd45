"""The installation's identity on printed documents (attendance sheet, badges, booklet).

The PDFs print the portal's name and the operator, and the operator's logo when it is a
PNG. An SVG logo is not rasterised: that would take a library (svglib) parsing uploaded
XML once more for a few millimetres of print; the text says who the operator is instead.
"""

import io
from dataclasses import dataclass

from django.core.files.storage import default_storage
from reportlab.lib.utils import ImageReader

from .logos import LOGO_MAX_BYTES, PNG, logo_kind
from .selectors import portal_identity


@dataclass(frozen=True)
class PrintedIdentity:
    name: str
    operator: str
    logo_png: bytes | None  # the operator's logo, when it is a PNG

    @property
    def line(self) -> str:
        """ "Portail du Contrat de Ville · Grand Chambéry"."""
        parts = [self.name]
        if self.operator and self.operator not in self.name:
            parts.append(self.operator)
        return " · ".join(parts)

    def logo_reader(self) -> ImageReader | None:
        return ImageReader(io.BytesIO(self.logo_png)) if self.logo_png else None

    def logo_size(self, max_width: float, max_height: float) -> tuple[float, float]:
        """The logo's printed size within the box, its proportions kept; (0, 0) without."""
        reader = self.logo_reader()
        if reader is None:
            return 0, 0
        width, height = reader.getSize()
        scale = min(max_width / width, max_height / height)
        return width * scale, height * scale

    def draw_logo(self, canvas, x: float, y: float, max_width: float, max_height: float) -> float:
        """Draw the logo with its bottom-left corner at (x, y); returns the width used."""
        width, height = self.logo_size(max_width, max_height)
        if width:
            canvas.drawImage(self.logo_reader(), x, y, width=width, height=height, mask="auto")
        return width


def printed_identity() -> PrintedIdentity:
    identity = portal_identity()
    return PrintedIdentity(
        name=identity.name, operator=identity.operator, logo_png=_png(identity.logo_name)
    )


def _png(name: str) -> bytes | None:
    if not name:
        return None
    try:
        with default_storage.open(name, "rb") as handle:
            data = handle.read(LOGO_MAX_BYTES + 1)
    except OSError:
        return None  # a missing file never stops a document from printing
    return data if logo_kind(io.BytesIO(data)) == PNG else None
