"""Amounts in euros as people type them and as French readers expect them.

``parse_amount`` reads "12 500,50", "12500.5", "12 500 €", "12.500,50", with the spaces,
no-break and narrow no-break spaces French text carries, and says why it refuses the rest;
``Numbers`` writes "12 500 €" or "12 500,50 €", counts and percentages, grouped in the
reader's language. The form field, the import, the bilan page and its documents all use
them.
"""

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# Spaces people and spreadsheets put in numbers: NBSP and narrow NBSP in French text.
_SPACES = str.maketrans("", "", " \u00a0\u202f\u2009\t'")
_SUFFIX = re.compile(r"(?:€|euros?|eur)$", re.IGNORECASE)
_NUMBER = re.compile(r"\d+(?:\.(\d+))?")
CENT = Decimal("0.01")
MAX_AMOUNT = Decimal("999999999.99")


class AmountError(ValueError):
    """Not an amount; ``reason`` says why: "negative", "unreadable", "cents" (more than two
    decimals, "1.234" being a thousand or a price), "too_big"."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def parse_amount(text) -> Decimal | None:
    """The amount written in ``text``, to the cent ("12 500,50", "12500.5", "12 500 €",
    "12.500,50", "1,500.50"), None when empty. Raises ``AmountError``."""
    if isinstance(text, Decimal | int):
        amount = Decimal(text)
    else:
        cleaned = _SUFFIX.sub("", str(text).translate(_SPACES))
        if not cleaned:
            return None
        negative = cleaned.startswith(("-", "\u2212"))  # U+2212: the typeset minus sign
        cleaned = cleaned.lstrip("-\u2212")
        if "," in cleaned and "." in cleaned:
            # "12.500,50" or "12,500.50": the last sign separates the cents, the other groups.
            decimal_sign = "," if cleaned.rfind(",") > cleaned.rfind(".") else "."
            cleaned = cleaned.replace("." if decimal_sign == "," else ",", "")
        cleaned = cleaned.replace(",", ".")
        match = _NUMBER.fullmatch(cleaned)
        if match is None:
            raise AmountError("unreadable")
        if negative:
            raise AmountError("negative")
        if match.group(1) is not None and len(match.group(1)) > 2:
            raise AmountError("cents")  # refused rather than guessed
        try:
            amount = Decimal(cleaned)
        except InvalidOperation:
            raise AmountError("unreadable") from None
    if amount < 0:
        raise AmountError("negative")
    if amount > MAX_AMOUNT:
        raise AmountError("too_big")
    return amount.quantize(CENT)


class Numbers:
    """Amounts and counts in the active language's format ("12 500,00 €", "1 250", "12,5"),
    as ``number_format(..., force_grouping=True)`` writes them. The separators are read once:
    a bilan of 1,000 actions writes thousands of numbers, and number_format looks the locale
    up at every call. Build one per page or document (the language is read here)."""

    def __init__(self):
        self.decimal = formats.get_format("DECIMAL_SEPARATOR")
        self.thousands = formats.get_format("THOUSAND_SEPARATOR")
        # A no-break space keeps the sign with its number at the end of a line; written as
        # the character itself, since xgettext reads no escapes (the catalogue would miss it).
        self.euro = _("%(amount)s €")  # noqa: RUF001

    def _grouped(self, value, places: int) -> str:
        text = f"{value:,.{places}f}"
        return text.replace(",", "\0").replace(".", self.decimal).replace("\0", self.thousands)

    def euros(self, value, *, cents: bool | None = None, empty: str = "—") -> str:
        """ "12 500,00 €"; "12 500 €" without the cents (``cents=False``: rounded); by
        default the cents only when there are some."""
        if value is None or value == "":
            return empty
        value = Decimal(value)
        if cents is None:
            cents = value != value.to_integral_value()
        if not cents:
            value = value.quantize(Decimal(1), rounding=ROUND_HALF_UP)
        return self.euro % {"amount": self._grouped(value, 2 if cents else 0)}

    def quantity(self, value, *, empty: str = "—") -> str:
        """A count or an indicator's value, with the decimals it has: "1 250", "12,5"."""
        if value is None:
            return empty
        if isinstance(value, int):
            return self._grouped(value, 0)
        value = Decimal(value)
        places = min(2, max(0, -value.normalize().as_tuple().exponent))
        return self._grouped(value, places)

    def percent(self, rate) -> str:
        return _("%(rate)s %%") % {"rate": self.quantity(rate)}  # noqa: RUF001


def euros(amount) -> str:
    """ "12 500 €", "12 500,50 €" (no-break spaces); an empty string for no amount."""
    return Numbers().euros(amount, empty="")


class AmountField(forms.DecimalField):
    """An amount in euros, to the cent, typed as people type it."""

    widget = forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"})
    default_error_messages = {
        "invalid": gettext_lazy("Indiquez un montant en euros, par exemple 12 500 ou 1 250,50."),
        "min_value": gettext_lazy("Un montant ne peut pas être négatif."),
        "max_value": gettext_lazy("Ce montant est trop élevé (999 999 999 € au plus)."),
        "cents": gettext_lazy("Deux chiffres au plus après la virgule, pour les centimes."),
    }
    _codes = {"negative": "min_value", "too_big": "max_value", "cents": "cents"}

    def __init__(self, **kwargs):
        kwargs.setdefault("max_digits", 11)
        kwargs.setdefault("decimal_places", 2)
        kwargs.setdefault("min_value", 0)
        kwargs.setdefault("max_value", Decimal("999999999.99"))
        super().__init__(**kwargs)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        try:
            return parse_amount(value)
        except AmountError as error:
            code = self._codes.get(error.reason, "invalid")
            raise ValidationError(self.error_messages[code], code=code) from None

    def prepare_value(self, value):
        if isinstance(value, Decimal):
            return Numbers().quantity(value)
        return value

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        for name in ("min", "max", "step"):
            attrs.pop(name, None)
        return attrs
