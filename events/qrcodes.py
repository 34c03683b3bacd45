"""QR codes (segno): PNG for the e-mail, SVG for the page, the module matrix
for the PDF badges."""

import io

import segno


def qr_png(data: str, scale: int = 6) -> bytes:
    buffer = io.BytesIO()
    segno.make(data, error="m").save(buffer, kind="png", scale=scale, border=2)
    return buffer.getvalue()


def qr_svg(data: str, scale: int = 4) -> str:
    return segno.make(data, error="m").svg_inline(scale=scale, border=2, title="QR code")


def qr_matrix(data: str) -> list[list[bool]]:
    return [[bool(cell) for cell in row] for row in segno.make(data, error="m").matrix]
