"""Demo data of the neighbourhoods: Grand Chambéry's perimeter, from the reference files."""

from .services import perimeter_load, perimeter_plan

DEMO_EPCI = "200069110"  # CA du Grand Chambéry


def seed_perimeter() -> str:
    report = perimeter_load(by=None, plan=perimeter_plan(epci=DEMO_EPCI))
    return (
        f"perimeter {DEMO_EPCI}: {sum(report.created.values())} created, "
        f"{sum(report.updated.values())} updated, {sum(report.unchanged.values())} unchanged"
    )
