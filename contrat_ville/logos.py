"""Logos of the installation (the operator's, the signatories'): a PNG or an SVG, read and
checked from their content, and served so that even a hostile file could do nothing.

The raster side reuses ``contrat_ville.uploads`` (what an image is, from its content). An
SVG is XML that browsers may run scripts from, so it is parsed with defusedxml (no DOCTYPE,
no entities) and refused at the first thing that could run code or fetch another resource.
It is served with a Content-Security-Policy of its own (nothing loads, scripts never run) in
case a file stored before a rule existed slips through.
"""

import hashlib
import math
from dataclasses import dataclass
from io import BytesIO

from defusedxml import DefusedXmlException
from defusedxml import ElementTree as SafeElementTree
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from PIL import Image

from .uploads import image_type

LOGO_MAX_BYTES = 200 * 1024
LOGO_MAX_SIDE = 2000  # pixels, PNG only
SVG = "svg"
PNG = "png"
CONTENT_TYPES = {SVG: "image/svg+xml", PNG: "image/png"}
SVG_NAMESPACE = "http://www.w3.org/2000/svg"
XHTML_NAMESPACE = "http://www.w3.org/1999/xhtml"
# What an SVG logo may never hold: code, embedded HTML, or other documents.
FORBIDDEN_ELEMENTS = {
    "script": _("Ce fichier SVG contient un script (élément <script>), refusé par sécurité."),
    "foreignobject": _(
        "Ce fichier SVG contient un élément <foreignObject> (du contenu HTML intégré), refusé "
        "par sécurité."
    ),
    "iframe": _("Ce fichier SVG intègre une autre page (élément <iframe>), refusé par sécurité."),
    "embed": _("Ce fichier SVG intègre un autre document (élément <embed>), refusé par sécurité."),
    "object": _(
        "Ce fichier SVG intègre un autre document (élément <object>), refusé par sécurité."
    ),
}
# The served SVG: nothing loads, nothing runs, whatever the file says.
SVG_POLICY = "default-src 'none'; style-src 'unsafe-inline'; sandbox"
LONG_CACHE = "public, max-age=31536000, immutable"
SHORT_CACHE = "public, max-age=300"
_BLANKS = b"\xef\xbb\xbf \t\r\n"  # a byte order mark and white space before the first tag


@dataclass(frozen=True)
class LogoProblem(Exception):
    message: str


def _refuse(message, **params) -> None:
    raise LogoProblem(str(message) % params if params else str(message))


def _local(name: str) -> str:
    return name.rsplit("}", 1)[-1].lower()


def _is_local_reference(value: str) -> bool:
    return value.strip().startswith("#")


def _check_css(text: str) -> None:
    lowered = text.lower()
    if "@import" in lowered:
        _refuse(
            _(
                "Ce fichier SVG importe une feuille de style extérieure (@import), refusé par "
                "sécurité."
            )
        )
    rest = lowered
    while "url(" in rest:
        rest = rest.split("url(", 1)[1]
        target = rest.split(")", 1)[0].strip().strip("'\"")
        if not _is_local_reference(target):
            _refuse(
                _(
                    "Ce fichier SVG renvoie vers une ressource extérieure (%(value)s) : seules "
                    "les références internes (« #… ») sont acceptées."
                ),
                value=target[:60] or "url()",
            )


def check_svg(data: bytes) -> None:
    """Raise LogoProblem, worded for the organiser, at the first rule ``data`` breaks."""
    if b"<?xml-stylesheet" in data:
        # ElementTree drops processing instructions: look for it in the bytes.
        _refuse(
            _(
                "Ce fichier SVG appelle une feuille de style extérieure (xml-stylesheet), refusé "
                "par sécurité."
            )
        )
    try:
        root = SafeElementTree.fromstring(data, forbid_dtd=True)
    except DefusedXmlException:
        _refuse(
            _(
                "Ce fichier SVG déclare un DOCTYPE ou des entités, refusés par sécurité : "
                "enregistrez-le sans (option « SVG simple » ou « SVG optimisé » de votre "
                "logiciel)."
            )
        )
    except SafeElementTree.ParseError:
        _refuse(_("Ce fichier SVG est illisible : ce n'est pas du XML valide."))
    if root.tag != f"{{{SVG_NAMESPACE}}}svg":
        _refuse(
            _("Ce fichier n'est pas une image SVG (son premier élément est « %(tag)s »)."),
            tag=_local(root.tag)[:40],
        )
    for element in root.iter():
        name = _local(element.tag)
        if name in FORBIDDEN_ELEMENTS:
            _refuse(FORBIDDEN_ELEMENTS[name])
        if element.tag.startswith(f"{{{XHTML_NAMESPACE}}}"):
            _refuse(FORBIDDEN_ELEMENTS["foreignobject"])
        if name == "style" and element.text:
            _check_css(element.text)
        for attribute, value in element.attrib.items():
            attribute_name = _local(attribute)
            if attribute_name.startswith("on"):
                _refuse(
                    _(
                        "Ce fichier SVG contient un attribut d'événement (%(name)s), qui peut "
                        "lancer un script : refusé par sécurité."
                    ),
                    name=attribute_name[:40],
                )
            if attribute_name == "href" and not _is_local_reference(value):
                _refuse(
                    _(
                        "Ce fichier SVG renvoie vers une ressource extérieure (%(value)s) : "
                        "seules les références internes (« #… ») sont acceptées."
                    ),
                    value=value.strip()[:60] or "href",
                )
            if name in {"set", "animate"} and (attribute_name, _local(value)) == (
                "attributename",
                "href",
            ):
                # An animation can turn a harmless link into a script link.
                _refuse(_("Ce fichier SVG modifie un lien par animation, refusé par sécurité."))
            if "url(" in value.lower() or attribute_name == "style":
                _check_css(value)
            if "javascript:" in value.lower().replace(" ", ""):
                _refuse(_("Ce fichier SVG contient un lien « javascript: », refusé par sécurité."))


def logo_kind(file) -> str | None:
    """ "png" or "svg" from the content of ``file`` (its position kept), None otherwise.
    "svg" says what the file claims to be; ``check_svg`` says whether it is acceptable."""
    raster = image_type(file)
    if raster is not None:
        return PNG if raster.extension == PNG else None
    data = _read_all(file)
    return SVG if data.lstrip(_BLANKS).startswith(b"<") and b"<svg" in data else None


def _read_all(file) -> bytes:
    position = file.tell()
    try:
        file.seek(0)
        return file.read(LOGO_MAX_BYTES + 1)
    finally:
        file.seek(position)


def validate_logo(file) -> None:
    """A PNG or an SVG of at most 200 KB; a PNG of at most 2 000 pixels a side; an SVG
    with nothing that runs or loads. The message says which rule the file broke."""
    if getattr(file, "_committed", False):
        return  # already stored: it was checked when uploaded
    if file.size > LOGO_MAX_BYTES:
        raise ValidationError(
            _("Le logo pèse %(size)s Ko ; la limite est de 200 Ko."),
            params={"size": math.ceil(file.size / 1024)},  # never "200 Ko" over 200 Ko
            code="logo_too_large",
        )
    raster = image_type(file)
    if raster is not None and raster.extension != PNG:
        raise ValidationError(
            _(
                "Le logo doit être une image PNG ou SVG ; ce fichier est une image %(format)s : "
                "enregistrez-le en PNG."
            ),
            params={"format": raster.extension.upper().replace("JPG", "JPEG")},
            code="logo_format",
        )
    if raster is not None:
        position = file.tell()
        try:
            file.seek(0)
            with Image.open(file, formats=["PNG"]) as image:
                width, height = image.size
                image.verify()  # a truncated or corrupt PNG is refused here, not at display
        except (OSError, SyntaxError, ValueError, Image.DecompressionBombError) as error:
            raise ValidationError(
                _("Ce fichier PNG est abîmé : ouvrez-le et enregistrez-le à nouveau."),
                code="logo_broken",
            ) from error
        finally:
            file.seek(position)
        if max(width, height) > LOGO_MAX_SIDE:
            raise ValidationError(
                _("Le logo mesure %(width)s sur %(height)s pixels ; 2 000 pixels au plus."),
                params={"width": width, "height": height},
                code="logo_dimensions",
            )
        return
    data = _read_all(file)
    if not data.lstrip(_BLANKS).startswith(b"<"):
        raise ValidationError(
            _("Le logo doit être une image PNG ou SVG, et ce fichier n'en est pas une."),
            code="logo_format",
        )
    try:
        check_svg(data)
    except LogoProblem as problem:
        raise ValidationError(problem.message, code="logo_svg") from None


def logo_path(prefix: str, upload) -> str:
    """A stored name: the owner, the time (so each upload has a new URL) and the extension
    of the content, never the client's file name."""
    extension = (logo_kind(upload) if upload is not None else None) or "bin"
    return f"identity/{prefix}-{timezone.now():%Y%m%d%H%M%S%f}.{extension}"


def logo_version(field_file) -> str:
    """A short token that changes with each upload, for long-cached URLs."""
    return hashlib.sha256(field_file.name.encode()).hexdigest()[:12] if field_file else ""


def logo_response(field_file, *, version: str = "") -> HttpResponse:
    """The stored logo with the type its content shows; 404 when there is none or when it
    is neither a PNG nor an SVG that passes the checks (whatever its name says)."""
    if not field_file:
        raise Http404
    try:
        with field_file.open("rb") as handle:
            data = handle.read(LOGO_MAX_BYTES + 1)
    except FileNotFoundError as error:
        raise Http404 from error
    kind = logo_kind(BytesIO(data))
    if kind == SVG:
        try:
            check_svg(data)
        except LogoProblem as error:
            raise Http404 from error
    if kind is None:
        raise Http404
    response = HttpResponse(data, content_type=CONTENT_TYPES[kind])
    response["X-Content-Type-Options"] = "nosniff"
    if kind == SVG:
        # Set here, so the site-wide policy middleware leaves it as it is.
        response["Content-Security-Policy"] = SVG_POLICY
    # A URL that names the current upload never changes content: cache it for a year.
    current = version and version == logo_version(field_file)
    response["Cache-Control"] = LONG_CACHE if current else SHORT_CACHE
    return response
