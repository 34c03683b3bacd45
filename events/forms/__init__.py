"""Forms of the rencontre: the registration (this module's registration.py),
the edition's settings and programme (edition.py), the CSV import (imports.py)."""

from .registration import ManageForm, RegistrationForm, ResendLinkForm

__all__ = ["ManageForm", "RegistrationForm", "ResendLinkForm"]
