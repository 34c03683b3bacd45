import factory
from allauth.account.models import EmailAddress

from contrat_ville.models import RoleAssignment, User

TEST_PASSWORD = "un-mot-de-passe-solide-42"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"personne{n}@example.test")
    first_name = factory.Sequence(lambda n: f"Prénom{n}")
    last_name = factory.Sequence(lambda n: f"Nom{n}")
    password = factory.django.Password(TEST_PASSWORD)

    @factory.post_generation
    def verified(obj, create, extracted, **kwargs):
        """Verified primary address unless ``verified=False``."""
        if create:
            EmailAddress.objects.create(
                user=obj, email=obj.email, primary=True, verified=extracted is not False
            )

    @factory.post_generation
    def roles(obj, create, extracted, **kwargs):
        if create and extracted:
            RoleAssignment.objects.bulk_create(
                RoleAssignment(user=obj, role=role) for role in extracted
            )


# --- Trainings and their sessions (events app) ---


def _days_ahead(days: int):
    import datetime

    from django.utils import timezone

    return timezone.localdate() + datetime.timedelta(days=days)


def _hour(hour: int, minute: int = 0):
    import datetime

    return datetime.time(hour, minute)


class TrainingFactory(factory.django.DjangoModelFactory):
    """A published training of the catalogue."""

    class Meta:
        model = "events.Training"

    title = factory.Sequence(lambda n: f"Formation {n}")
    slug = factory.Sequence(lambda n: f"formation-{n}")
    theme = "Participation des habitants"
    summary = "Animer une réunion publique dans le quartier."
    public = "Animateurs, bénévoles, conseillers citoyens"
    trainer = "Centre de ressources politique de la ville"
    status = "published"


class SessionFactory(factory.django.DjangoModelFactory):
    """An open session of a training (an Edition of kind "formation"): 30 days ahead,
    9:00 to 12:30, 3 seats."""

    class Meta:
        model = "events.Edition"

    kind = "formation"
    training = factory.SubFactory(TrainingFactory)
    title = factory.LazyAttribute(lambda o: o.training.title)
    date = factory.LazyFunction(lambda: _days_ahead(30))
    year = factory.LazyAttribute(lambda o: o.date.year)
    starts_at = factory.LazyFunction(lambda: _hour(9))
    ends_at = factory.LazyFunction(lambda: _hour(12, 30))
    venue_name = "Maison des associations"
    venue_address = "Chambéry"
    capacity = 3
    status = "open"
