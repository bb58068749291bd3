"""factory-boy factories for the whole suite."""

from datetime import timedelta

import factory
from django.utils import timezone
from django_countries import countries

from apps.accounts.models import Filiere, StudentProfile, Track, User
from apps.accounts.roles import Role
from apps.programmes.models import Agreement, AgreementKind, Call, Language, Partner, StudyField

TEST_PASSWORD = "correct-horse-battery-staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("email",)

    email = factory.Sequence(lambda n: f"user{n}@example.org")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    role = Role.STUDENT
    password = factory.django.Password(TEST_PASSWORD)


class FiliereFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Filiere
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"filiere-{n}")
    name = factory.Sequence(lambda n: f"Filière {n}")


class StudentProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StudentProfile

    user = factory.SubFactory(UserFactory, role=Role.STUDENT)
    student_number = factory.Sequence(lambda n: f"S{n:06d}")
    track = Track.FISE
    year = 2
    filiere = factory.SubFactory(FiliereFactory)
    advisor = None


class LanguageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Language
        django_get_or_create = ("code",)

    code = "en"
    name = "English"


class StudyFieldFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StudyField
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"field-{n}")
    name = factory.Sequence(lambda n: f"Field {n}")


class PartnerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partner

    name = factory.Sequence(lambda n: f"University {n}")
    country = factory.Iterator([code for code, _ in list(countries)[:40]])
    city = factory.Faker("city")
    website = factory.Sequence(lambda n: f"https://university{n}.example.org")


class AgreementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agreement

    partner = factory.SubFactory(PartnerFactory)
    kind = AgreementKind.EXCHANGE
    seats_per_year = 2
    first_year = 2024
    last_year = None


class CallFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Call

    name = factory.Sequence(lambda n: f"Call {n}")
    academic_year = 2027
    opens_on = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=10))
    closes_on = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=20))
