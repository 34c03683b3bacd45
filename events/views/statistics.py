"""Year over year: the editions compared. Counts only, no personal data."""

from django.shortcuts import render
from django.views.decorators.http import require_GET
from rules.contrib.views import permission_required

from ..selectors import editions_comparison


@permission_required("events.view_statistics", raise_exception=True)
@require_GET
def comparison(request):
    return render(request, "events/comparison.html", {"comparison": editions_comparison()})
