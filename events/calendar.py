"""The edition as an iCalendar event (RFC 5545), for the public link and the
confirmation e-mail."""

from django.conf import settings
from icalendar import Calendar, Event

from .models import Edition


def edition_ics(edition: Edition) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//Contrat de Ville//Portail des partenaires//FR")
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    location = ", ".join(part for part in (edition.venue_name, edition.venue_address) if part)
    if edition.online_url:
        location = ", ".join(part for part in (location, edition.online_url) if part)
    # One event per day of a session held over several days.
    for number, (starts, ends) in enumerate(edition.all_days()):
        event = Event()
        # Stable across downloads, so a calendar updates the event instead of doubling it.
        suffix = f"-{number + 1}" if number else ""
        event.add("uid", f"{edition.calendar_name}{suffix}@contrat-ville")
        event.add("dtstamp", edition.updated_at)
        event.add("dtstart", starts)
        event.add("dtend", ends)
        event.add("summary", edition.title)
        event.add("location", location)
        event.add("description", edition.description)
        event.add("url", settings.PORTAL_BASE_URL + edition.get_absolute_url())
        calendar.add_component(event)
    return calendar.to_ical()
