"""The audit log: who did what, when, on which object, told as a sentence.

Each app registers its own action codes (a TextChoices class) from its
AppConfig.ready(), with a describer per code: a function that turns an entry
into a sentence in the reader's language. The core never imports an app, and
never words an app's actions.

Entries are written in the language of the moment; describers therefore read
codes and field names from ``entry.data`` and word them when the page is shown
(field names through the target model's verbose_name, choices by label, dates
in the reader's format). An entry nobody describes, or whose data has an
unexpected shape, still reads as a generic sentence: never a dict.

The journal is for organisers, who may see every object it names; a describer
still only uses what the entry stores, never a fresh query.
"""

import datetime
from collections.abc import Callable, Iterable, Mapping

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.urls import reverse
from django.utils import formats
from django.utils.text import get_text_list
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .enums import AuditAction, Role

Describer = Callable[["models.Model"], str]

_labels: dict[str, object] = {}
_describers: dict[str, Describer] = {}


def register_actions(
    choices: type[models.TextChoices], describers: Mapping[str, Describer] | None = None
) -> None:
    """Register an app's action codes and, for each, the function wording an entry."""
    describers = describers or {}
    unknown = set(describers) - set(choices.values)
    if unknown:
        raise ValueError(f"describers for unregistered actions: {sorted(unknown)}")
    for value, label in choices.choices:
        _labels[value] = label
        if value in describers:
            _describers[value] = describers[value]


def action_label(code: str) -> str:
    return str(_labels.get(code, code))


def known_actions() -> list[tuple[str, str]]:
    return sorted(((code, str(label)) for code, label in _labels.items()), key=lambda c: c[1])


def registered_codes() -> list[str]:
    return sorted(_labels)


# target_type -> (permission the reader needs, function target_id -> URL). Only
# targets whose page is addressed by the stored id: a link costs no query.
_target_links: dict[str, tuple[str, Callable[[str], str]]] = {}


def register_target_link(target_type: str, permission: str, url: Callable[[str], str]) -> None:
    _target_links[target_type] = (permission, url)


def target_url(entry, user) -> str:
    """The target's page when the reader may open it, else ""."""
    link = _target_links.get(entry.target_type)
    if link is None or not entry.target_id.isdigit() or not user.has_perm(link[0]):
        return ""
    return link[1](entry.target_id)


def describer_of(code: str) -> Describer | None:
    return _describers.get(code)


def describe(entry) -> str:
    """The entry as one sentence. A describer that trips on legacy data falls back
    to the generic sentence rather than breaking the journal."""
    describer = _describers.get(entry.action)
    if describer is not None:
        try:
            return describer(entry)
        except (KeyError, TypeError, ValueError, AttributeError, IndexError):
            pass
    return generic(entry)


def generic(entry) -> str:
    if entry.action in _labels:
        if entry.target_label:
            return _("%(who)s : %(action)s (%(what)s).") % {
                "who": who(entry),
                "action": action_label(entry.action).lower(),
                "what": entry.target_label,
            }
        return _("%(who)s : %(action)s.") % {
            "who": who(entry),
            "action": action_label(entry.action).lower(),
        }
    if entry.target_label:
        return _("%(who)s a fait une action qui n'est plus décrite, sur %(what)s.") % {
            "who": who(entry),
            "what": entry.target_label,
        }
    return _("%(who)s a fait une action qui n'est plus décrite.") % {"who": who(entry)}


# -- helpers for the apps' describers ------------------------------------------------------


def who(entry) -> str:
    """The author: the account's name today when it still exists, else what was kept."""
    actor = entry.actor if entry.actor_id else None
    if actor is not None:
        name = actor.get_full_name().strip()
        if name:
            return name
    if not entry.actor_label or entry.actor_label == "système":
        return _("Le portail")
    return entry.actor_label


def what(entry) -> str:
    return entry.target_label or _("un objet supprimé")


def model_of(entry) -> type[models.Model] | None:
    if not entry.target_type:
        return None
    try:
        return apps.get_model(entry.target_type)
    except (LookupError, ValueError):
        return None


def _field(model, name: str):
    if model is None:
        return None
    try:
        return model._meta.get_field(name)
    except FieldDoesNotExist:
        return None


def field_label(model, name: str) -> str:
    field = _field(model, name)
    if field is not None and getattr(field, "verbose_name", None):
        return str(field.verbose_name)
    return str(name).replace("_", " ")


YES_NO = {"true": gettext_lazy("Oui"), "false": gettext_lazy("Non")}


def value_text(model, name: str, value) -> str:
    """A stored value as the reader expects it: choices by label, booleans as
    Oui/Non, ISO dates in the reader's format, lists joined, empty as a dash."""
    if value in (None, "", [], ()):
        return "—"
    if isinstance(value, list | tuple):
        return ", ".join(value_text(model, name, item) for item in value)
    if isinstance(value, bool):
        return str(YES_NO[str(value).lower()])
    text = str(value)
    field = _field(model, name)
    choices = dict(getattr(field, "flatchoices", None) or ())
    if text in choices:
        return str(choices[text])
    if isinstance(field, models.BooleanField) and text.lower() in YES_NO:
        return str(YES_NO[text.lower()])
    if isinstance(field, models.DateTimeField):
        try:
            return formats.date_format(datetime.datetime.fromisoformat(text), "DATETIME_FORMAT")
        except ValueError:
            return text
    if isinstance(field, models.DateField):
        try:
            return formats.date_format(datetime.date.fromisoformat(text), "DATE_FORMAT")
        except ValueError:
            return text
    return text


def changes_of(entry) -> list[tuple[str, str, str]]:
    """(field label, old, new) for ``data["changes"] = {field: [old, new]}``; empty
    when the data has another shape."""
    changes = entry.data.get("changes") if isinstance(entry.data, dict) else None
    if not isinstance(changes, dict):
        return []
    model = model_of(entry)
    rows = []
    for name, pair in changes.items():
        if isinstance(pair, list | tuple) and len(pair) == 2:
            old, new = pair
        else:
            old, new = "", pair
        rows.append(
            (field_label(model, name), value_text(model, name, old), value_text(model, name, new))
        )
    return rows


def fields_text(entry, names: Iterable[str] | None = None) -> str:
    """The changed fields' names, joined: "description et téléphone"."""
    model = model_of(entry)
    if names is None:
        changes = entry.data.get("changes")
        names = list(changes) if isinstance(changes, dict) else []
    labels = [field_label(model, str(name)) for name in names]
    return get_text_list(labels, _("et"))


def number(entry, key: str) -> int:
    value = entry.data.get(key, 0)
    return value if isinstance(value, int) else int(value)


def role_text(code: str) -> str:
    return str(Role(code).label) if code in Role.values else str(code)


def details(entry) -> list[str]:
    """Lines shown under the sentence: each change as "label : « old » → « new »"."""
    return [
        _("%(field)s : « %(old)s » → « %(new)s »") % {"field": label, "old": old, "new": new}
        for label, old, new in changes_of(entry)
    ]


# -- the core's own actions ----------------------------------------------------------------


def _role_assigned(entry) -> str:
    return _("%(who)s a donné le rôle %(role)s à %(what)s.") % {
        "who": who(entry),
        "role": role_text(entry.data["role"]),
        "what": what(entry),
    }


def _role_removed(entry) -> str:
    return _("%(who)s a retiré le rôle %(role)s à %(what)s.") % {
        "who": who(entry),
        "role": role_text(entry.data["role"]),
        "what": what(entry),
    }


def _territory_created(entry) -> str:
    return _("%(who)s a ajouté le territoire %(what)s.") % {"who": who(entry), "what": what(entry)}


def _territory_updated(entry) -> str:
    return _("%(who)s a modifié le territoire %(what)s : %(fields)s.") % {
        "who": who(entry),
        "fields": fields_text(entry),
        "what": what(entry),
    }


register_target_link(
    "contrat_ville.user",
    "contrat_ville.manage_roles",
    lambda pk: reverse("user_roles_edit", args=[int(pk)]),
)
register_target_link(
    "contrat_ville.territory",
    "contrat_ville.manage_territories",
    lambda pk: reverse("territory_edit", args=[int(pk)]),
)
register_actions(
    AuditAction,
    {
        AuditAction.ROLE_ASSIGNED: _role_assigned,
        AuditAction.ROLE_REMOVED: _role_removed,
        AuditAction.TERRITORY_CREATED: _territory_created,
        AuditAction.TERRITORY_UPDATED: _territory_updated,
    },
)
