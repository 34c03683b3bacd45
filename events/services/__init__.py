from .editions import college_invite, edition_copy, edition_create, edition_update, programme_set
from .emails import emails_queue, emails_send
from .exports import registrations_export_record
from .imports import ImportResult, registrations_import
from .registrations import (
    CheckIn,
    DuplicateRegistration,
    RegistrationClosed,
    manage_link_send,
    registration_cancel,
    registration_check_in,
    registration_check_in_undo,
    registration_create,
    registration_erase,
    registration_reinstate,
    registration_reminder_send,
    registration_update,
    registrations_bulk_create,
    registrations_purge,
)

__all__ = [
    "CheckIn",
    "DuplicateRegistration",
    "ImportResult",
    "RegistrationClosed",
    "college_invite",
    "edition_copy",
    "edition_create",
    "edition_update",
    "emails_queue",
    "emails_send",
    "manage_link_send",
    "programme_set",
    "registration_cancel",
    "registration_check_in",
    "registration_check_in_undo",
    "registration_create",
    "registration_erase",
    "registration_reinstate",
    "registration_reminder_send",
    "registration_update",
    "registrations_bulk_create",
    "registrations_export_record",
    "registrations_import",
    "registrations_purge",
]
