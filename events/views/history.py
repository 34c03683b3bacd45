"""A person's own history: the rencontres, trainings and meetings they registered to."""

from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from ..selectors import history_of


@require_GET
def my_events(request):
    registrations = list(history_of(request.user))
    today = timezone.localdate()
    return render(
        request,
        "events/history.html",
        {
            "coming": [r for r in registrations if r.edition.date >= today][::-1],
            "attended": [
                r for r in registrations if r.edition.date < today and r.checked_in_at is not None
            ],
            "missed": [
                r for r in registrations if r.edition.date < today and r.checked_in_at is None
            ],
        },
    )
