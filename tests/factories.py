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
