"""The audit log: who did what, when, on which object.

Each app registers the labels of its own action codes (a TextChoices class)
from its AppConfig.ready(), so the core never imports an app.
"""

from django.db import models

from .enums import AuditAction

_labels: dict[str, object] = {}


def register_actions(choices: type[models.TextChoices]) -> None:
    for value, label in choices.choices:
        _labels[value] = label


def action_label(code: str) -> str:
    return str(_labels.get(code, code))


def known_actions() -> list[tuple[str, str]]:
    return sorted(((code, str(label)) for code, label in _labels.items()), key=lambda c: c[1])


register_actions(AuditAction)
