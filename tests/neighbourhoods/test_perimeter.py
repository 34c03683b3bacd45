"""The contract's perimeter: reference files, the service, the command and the organisers' page."""

import gzip
import json

import pytest
from django.core.management import CommandError, call_command

from contrat_ville.enums import ContourSource, TerritoryKind
from contrat_ville.models import AuditLogEntry, Territory
from contrat_ville.services import ServiceError
from neighbourhoods import reference
from neighbourhoods.enums import AuditAction
from neighbourhoods.services import perimeter_load, perimeter_plan
from tests.partners.conftest import make_actor  # noqa: F401  (fixture)

GRAND_CHAMBERY = "200069110"
AIX_MARSEILLE = "200054807"  # a metropolis with dozens of QPV
CINOR = "249740119"  # La Réunion: CA Intercommunale du Nord de la Réunion
CACL = "249730045"  # Guyane: CA du Centre Littoral


def _reference_count(siren: str) -> int:
    """QPV of the shipped national file with a commune among the EPCI's members, read anew
    from the files (not through neighbourhoods.reference), delegated communes included."""
    with gzip.open(reference.COMMUNES_FILE, "rt", encoding="utf-8") as handle:
        communes = json.load(handle)
    with gzip.open(reference.QPV_FILE, "rt", encoding="utf-8") as handle:
        qpvs = json.load(handle)["qpvs"]
    members = set(communes["epci"][siren][2])
    aliases = communes["aliases"]
    return sum(1 for q in qpvs if members & {aliases.get(code, code) for code in q["insee"]})


def test_reference_files_hold_the_whole_country():
    assert len(reference.qpvs()) == 1584
    assert reference.epci(GRAND_CHAMBERY).name == "CA du Grand Chambéry"
    assert len(reference.epci(GRAND_CHAMBERY).members) == 38
    assert reference.commune("73065").name == "Chambéry"
    # A delegated commune points to the commune it merged into; an arrondissement to its city.
    assert reference.current_code("93059") == "93066"
    assert reference.current_code("75118") == "75056"


def test_epci_search_by_siren_name_or_member_commune():
    assert [e.siren for e in reference.search_epci("200069110")] == [GRAND_CHAMBERY]
    assert GRAND_CHAMBERY in [e.siren for e in reference.search_epci("chambery")]
    assert AIX_MARSEILLE in [e.siren for e in reference.search_epci("Marseille")]
    assert reference.search_epci("x") == []


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("siren", "expected"),
    [(GRAND_CHAMBERY, 2), (AIX_MARSEILLE, 66), (CINOR, 16), (CACL, 20)],
)
def test_three_kinds_of_epci_load_every_qpv_of_the_reference_file(siren, expected):
    assert _reference_count(siren) == expected
    plan = perimeter_plan(epci=siren)
    perimeter_load(by=None, plan=plan)
    epci = reference.epci(siren)
    qpvs = Territory.objects.filter(kind=TerritoryKind.QPV, insee_codes__isnull=False)
    loaded = [t for t in qpvs if set(t.insee_codes) & set(epci.members)]
    assert len(loaded) == expected
    assert all(t.contour and t.contour_source == ContourSource.ANCT for t in loaded)
    assert all(t.west <= t.east and t.south <= t.north for t in loaded)
    assert Territory.objects.filter(kind=TerritoryKind.COMMUNE, code__in=epci.members).count() == (
        len(epci.members)
    )
    assert Territory.objects.get(kind=TerritoryKind.EPCI, code=siren).insee_codes == list(
        epci.members
    )


@pytest.mark.django_db
def test_loading_twice_changes_nothing_and_keeps_the_seeded_territories():
    seeded = Territory.objects.get(code="QN07301M")
    seeded.name = "Le Biollay et Bellevue"
    seeded.save()
    first = perimeter_load(by=None, plan=perimeter_plan(epci=GRAND_CHAMBERY))
    # Migration 0003 seeded both QPV, Chambéry and the EPCI: they are updated, not duplicated.
    assert first.created[TerritoryKind.QPV] == 0
    assert first.updated[TerritoryKind.QPV] == 2
    assert first.created[TerritoryKind.COMMUNE] == 37
    again = perimeter_load(by=None, plan=perimeter_plan(epci=GRAND_CHAMBERY))
    assert sum(again.created.values()) == sum(again.updated.values()) == 0
    assert sum(again.unchanged.values()) == 41
    kept = Territory.objects.get(code="QN07301M")
    assert (kept.pk, kept.name, kept.slug) == (seeded.pk, "Le Biollay et Bellevue", seeded.slug)
    assert Territory.objects.filter(code="QN07301M").count() == 1
    entries = AuditLogEntry.objects.filter(action=AuditAction.PERIMETER_LOADED)
    assert entries.count() == 2
    assert entries.first().data["qpv"] == 2


def test_qpv_already_present_keep_their_actors(make_actor):  # noqa: F811 (the fixture)
    biollay = Territory.objects.get(code="QN07301M")
    actor = make_actor(territories=[biollay.slug])
    perimeter_load(by=None, plan=perimeter_plan(epci=GRAND_CHAMBERY))
    assert list(actor.territories.all()) == [biollay]


@pytest.mark.django_db
def test_communes_outside_any_epci_are_loaded_by_code():
    perimeter_load(by=None, plan=perimeter_plan(communes=["97801"]))
    assert Territory.objects.filter(kind=TerritoryKind.QPV, code__startswith="QN978").count() == 3
    assert not Territory.objects.filter(kind=TerritoryKind.EPCI, code="97801").exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "kwargs",
    [{"epci": "123456789"}, {"communes": ["99999"]}, {}],
)
def test_unknown_codes_are_refused_and_nothing_is_written(kwargs):
    before = Territory.objects.count()
    with pytest.raises(ServiceError):
        perimeter_plan(**kwargs)
    assert Territory.objects.count() == before


@pytest.mark.django_db
def test_command_loads_and_says_what_it_did(capsys):
    call_command("contract_perimeter", "--epci", GRAND_CHAMBERY, "--dry-run")
    assert Territory.objects.filter(kind=TerritoryKind.COMMUNE).count() == 1
    call_command("contract_perimeter", "--epci", GRAND_CHAMBERY)
    out = capsys.readouterr().out
    assert "CA du Grand Chambéry: 38 communes, 2 QPV (QN07301M, QN07302M)" in out
    assert "created: commune 37" in out
    assert Territory.objects.filter(kind=TerritoryKind.COMMUNE).count() == 38
    with pytest.raises(CommandError):
        call_command("contract_perimeter", "--epci", "000000000")
