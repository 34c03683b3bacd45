"""Template mistakes the engine does not report: a {# comment #} spread over several lines is
printed on the page as text."""

from pathlib import Path

from django.conf import settings

TEMPLATE_DIRS = [Path(settings.BASE_DIR) / "templates"]


def test_no_template_comment_spans_lines():
    broken = []
    for directory in TEMPLATE_DIRS:
        for path in directory.rglob("*.html"):
            for number, line in enumerate(path.read_text().splitlines(), start=1):
                start = line.rfind("{#")
                if start != -1 and "#}" not in line[start:]:
                    broken.append(f"{path.relative_to(settings.BASE_DIR)}:{number}")
    assert broken == [], "Use {% comment %} for several lines: " + ", ".join(broken)
