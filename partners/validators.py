"""Checks on identifiers and files an actor provides."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from contrat_ville.uploads import IMAGE_TYPES

# La Poste's establishments share one SIREN whose SIRETs do not follow the Luhn rule.
LA_POSTE_SIREN = "356000000"
LOGO_MAX_BYTES = 1024 * 1024
LOGO_FORMATS = frozenset(IMAGE_TYPES)  # PNG, JPEG and WebP
LOGO_MAX_SIDE = 4000


def _luhn_valid(number: str) -> bool:
    total = 0
    for index, char in enumerate(reversed(number)):
        digit = int(char)
        if index % 2 == 1:
            digit *= 2
            if digit > 9:
                digit -= 9
        total += digit
    return total % 10 == 0


def siret_is_valid(value: str) -> bool:
    if not re.fullmatch(r"\d{14}", value):
        return False
    if value.startswith(LA_POSTE_SIREN):
        return sum(int(c) for c in value) % 5 == 0
    return _luhn_valid(value)


def validate_siret(value: str) -> None:
    if not re.fullmatch(r"\d{14}", value):
        raise ValidationError(
            _("Un numéro SIRET compte 14 chiffres, sans espace."), code="siret_format"
        )
    if not siret_is_valid(value):
        raise ValidationError(
            _("Ce numéro SIRET n'existe pas : vérifiez les chiffres (clé de contrôle invalide)."),
            code="siret_checksum",
        )


def validate_rna(value: str) -> None:
    # W followed by nine characters: the département (2A, 2B and 9x included) and a number.
    if not re.fullmatch(r"W[0-9AB][0-9A-Z]\d{7}", value):
        raise ValidationError(
            _("Un numéro RNA s'écrit W suivi de 9 caractères, par exemple W732001234."),
            code="rna_format",
        )


def validate_logo(file) -> None:
    """A small PNG, JPEG or WebP image: SVG and other formats could carry scripts."""
    if file.size > LOGO_MAX_BYTES:
        raise ValidationError(
            _("Le logo pèse %(size)s Ko ; la limite est de 1 024 Ko."),
            params={"size": file.size // 1024},
            code="logo_too_large",
        )
    # A fresh upload carries the Pillow image the form field opened (on the
    # upload itself, or on the FieldFile's file during model validation).
    image = getattr(file, "image", None) or getattr(getattr(file, "file", None), "image", None)
    if image is None:
        return  # already stored: it was checked when uploaded
    if image.format not in LOGO_FORMATS:
        raise ValidationError(
            _("Le logo doit être une image PNG, JPEG ou WebP."), code="logo_format"
        )
    width, height = image.size
    if max(width, height) > LOGO_MAX_SIDE:
        raise ValidationError(
            _("Le logo mesure %(width)s sur %(height)s pixels ; 4 000 pixels au plus."),
            params={"width": width, "height": height},
            code="logo_dimensions",
        )
