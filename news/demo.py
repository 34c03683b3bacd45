"""The news' part of ``seed_demo``: a year of news for Grand Chambéry (2026) and a small
document library, read from demo_data/news.json.

Idempotent: items are found by their slug; a generated file (a one-page PDF drawn with
reportlab, a small PNG) is made once, when the document has none. Priorities and
territories are found by slug, and a missing one (deleted by an organiser) is skipped.
"""

import datetime
import io
import json
from pathlib import Path

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from PIL import Image, ImageDraw
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from contract.models import Priority
from contrat_ville.models import Territory

from .enums import Audience, Status
from .models import Document, NewsItem

DATA_FILE = Path(__file__).resolve().parent / "demo_data" / "news.json"


def demo_spec() -> dict:
    return json.loads(DATA_FILE.read_text(encoding="utf-8"))


def demo_pdf(title: str, summary: str) -> bytes:
    """A one-page PDF that says it is demo content."""
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    pdf.setTitle(title)
    _width, height = A4
    pdf.setFont("Helvetica-Bold", 16)
    pdf.drawString(60, height - 90, title[:70])
    pdf.setFont("Helvetica", 11)
    pdf.drawString(60, height - 120, summary[:95])
    pdf.drawString(60, height - 150, "Document de démonstration du portail du contrat de ville.")
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def demo_png() -> bytes:
    image = Image.new("RGB", (320, 200), "#e9eff7")
    draw = ImageDraw.Draw(image)
    draw.rectangle((40, 40, 150, 150), outline="#1d4e89", width=4)
    draw.rectangle((180, 60, 280, 160), outline="#17622f", width=4)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def _published_at(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(9, 0)))


def _tags(item, spec: dict, priorities: dict, territories: dict) -> None:
    item.priorities.set([priorities[s] for s in spec.get("priorities", []) if s in priorities])
    item.territories.set([territories[s] for s in spec.get("territories", []) if s in territories])


@transaction.atomic
def seed_news() -> str:
    spec = demo_spec()
    slugs = {s for entry in spec["news"] + spec["documents"] for s in entry.get("priorities", [])}
    priorities = {p.slug: p for p in Priority.objects.filter(slug__in=slugs)}
    places = {s for entry in spec["news"] + spec["documents"] for s in entry.get("territories", [])}
    territories = {t.slug: t for t in Territory.objects.filter(slug__in=places)}

    for entry in spec["news"]:
        day = datetime.date.fromisoformat(entry["date"])
        item, _created = NewsItem.objects.update_or_create(
            slug=entry["slug"],
            defaults={
                "title": entry["title"],
                "date": day,
                "summary": entry["summary"],
                "body": entry["body"],
                "audience": entry.get("audience", Audience.PUBLIC),
                "status": Status.PUBLISHED,
                "published_at": _published_at(day),
            },
        )
        _tags(item, entry, priorities, territories)

    files = 0
    for entry in spec["documents"]:
        day = datetime.date.fromisoformat(entry["date"])
        document = Document.objects.filter(slug=entry["slug"]).first() or Document(
            slug=entry["slug"]
        )
        document.title = entry["title"]
        document.kind = entry["kind"]
        document.date = day
        document.summary = entry["summary"]
        document.audience = entry.get("audience", Audience.PUBLIC)
        document.easy_read = entry.get("easy_read", False)
        document.status = Status.PUBLISHED
        document.published_at = document.published_at or _published_at(day)
        if entry.get("url"):
            document.url, document.file, document.file_label, document.file_size = (
                entry["url"],
                "",
                "",
                None,
            )
        elif not document.file:
            if entry.get("generated_png"):
                content, name, label = demo_png(), f"{entry['slug']}.png", "PNG"
            else:
                content = demo_pdf(entry["title"], entry["summary"])
                name, label = f"{entry['slug']}.pdf", "PDF"
            document.url = ""
            document.file_label, document.file_size = label, len(content)
            # Assigned, not saved: the stored name takes its extension from the content.
            document.file = ContentFile(content, name=name)
            files += 1
        document.save()
        _tags(document, entry, priorities, territories)

    partners_only = sum(1 for e in spec["news"] if e.get("audience") == Audience.PARTNERS)
    return (
        f"news: {len(spec['news'])} items ({partners_only} for partners), "
        f"{len(spec['documents'])} documents ({files} files generated)"
    )
