"""Reference territories of Grand Chambéry's contract.

QPV codes and names come from the 2024 national list (decree 2023-1314),
the commune's INSEE code and the EPCI's SIREN from the official registers.
Organisers add QVAs and other territories from the portal.
"""

from django.db import migrations

TERRITORIES = [
    # kind, code, name, slug, order
    ("qpv", "QN07301M", "Biollay - Bellevue", "biollay-bellevue", 10),
    ("qpv", "QN07302M", "Les Hauts de Chambéry", "hauts-de-chambery", 20),
    ("commune", "73065", "Chambéry", "chambery", 50),
    ("epci", "200069110", "Grand Chambéry (toute l'agglomération)", "grand-chambery", 90),
]


def seed(apps, schema_editor):
    Territory = apps.get_model("contrat_ville", "Territory")
    for kind, code, name, slug, order in TERRITORIES:
        Territory.objects.update_or_create(
            slug=slug, defaults={"kind": kind, "code": code, "name": name, "order": order}
        )


class Migration(migrations.Migration):
    dependencies = [("contrat_ville", "0002_territory")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
