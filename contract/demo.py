"""The contract's part of ``seed_demo``: a plausible set of priorities and bodies for
Grand Chambéry, read from demo_data/contract.json and marked as demo content.

Idempotent: priorities and bodies are found by their slug, objectives by their title
within their priority. The directory's and the workshops' demo steps tag their actors
and projects with these priorities afterwards, by slug.
"""

import json
from pathlib import Path

from django.db import transaction

from .models import Body, Objective, Priority
from .services import POSITION_STEP

DATA_FILE = Path(__file__).resolve().parent / "demo_data" / "contract.json"


def demo_spec() -> dict:
    return json.loads(DATA_FILE.read_text(encoding="utf-8"))


@transaction.atomic
def seed_contract() -> str:
    spec = demo_spec()
    for number, item in enumerate(spec["priorities"], start=1):
        priority, _created = Priority.objects.update_or_create(
            slug=item["slug"],
            defaults={
                "title": item["title"],
                "summary": item["summary"],
                "description": item.get("description", ""),
                "position": number * POSITION_STEP,
                "is_demo": True,
            },
        )
        for rank, objective in enumerate(item["objectives"], start=1):
            Objective.objects.update_or_create(
                priority=priority,
                title=objective["title"],
                defaults={
                    "description": objective.get("description", ""),
                    "position": rank * POSITION_STEP,
                },
            )
    for number, item in enumerate(spec["bodies"], start=1):
        # Another body (an organiser's) may hold the directory code: the demo leaves it there.
        code = item.get("directory_code")
        if code and Body.objects.filter(directory_code=code).exclude(slug=item["slug"]).exists():
            code = None
        Body.objects.update_or_create(
            slug=item["slug"],
            defaults={
                "kind": item["kind"],
                "name": item["name"],
                "role": item["role"],
                "description": item.get("description", ""),
                "directory_code": code,
                "position": number * POSITION_STEP,
                "is_demo": True,
            },
        )
    return (
        f"contract: {len(spec['priorities'])} priorities, "
        f"{sum(len(p['objectives']) for p in spec['priorities'])} objectives, "
        f"{len(spec['bodies'])} bodies"
    )


def demo_actor_priorities() -> dict[str, list[str]]:
    """actor slug -> the slugs of the demo priorities it serves (for the directory's step)."""
    found: dict[str, list[str]] = {}
    for priority, actors in demo_spec()["actor_priorities"].items():
        for actor in actors:
            found.setdefault(actor, []).append(priority)
    return found


def demo_project_priorities(number: int) -> list[str]:
    """The slugs of the demo priorities workshop group ``number``'s project serves."""
    spec = demo_spec()["project_priorities"]
    in_turn = spec["in_turn"]
    return [*spec["every_project"], in_turn[(number - 1) % len(in_turn)]]


def priorities_by_slug(slugs) -> dict[str, Priority]:
    """The priorities still there among ``slugs`` (an organiser may have deleted one)."""
    return {p.slug: p for p in Priority.objects.filter(slug__in=set(slugs))}
