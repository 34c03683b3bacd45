"""The edition as an iCalendar event (RFC 5545), for the public link and the
confirmation e-mail."""

from django.conf import settings
from django.urls import reverse
from icalendar import Calendar, Event

from .models import Edition


def edition_ics(edition: Edition) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//Contrat de Ville//Portail des partenaires//FR")
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    event = Event()
    # Stable across downloads, so a calendar updates the event instead of doubling it.
    event.add("uid", f"rencontre-{edition.year}@contrat-ville")
    event.add("dtstamp", edition.updated_at)
    event.add("dtstart", edition.starts)
    event.add("dtend", edition.ends)
    event.add("summary", edition.title)
    location = ", ".join(part for part in (edition.venue_name, edition.venue_address) if part)
    event.add("location", location)
    event.add("description", edition.description)
    event.add(
        "url", settings.PORTAL_BASE_URL + reverse("events:edition", kwargs={"year": edition.year})
    )
    calendar.add_component(event)
    return calendar.to_ical()
