"""A world at scale, seeded once per test module that asks for it (each test still runs in its
own rolled-back transaction), and removed afterwards with what the seed added to shared
tables, so the rest of the suite finds the database as it was."""

import pytest

from apps.accounts.models import Filiere
from apps.applications.scale_data import reset_scale_data, seed_scale
from apps.programmes.models import Language, StudyField

SHARED_MODELS = (Filiere, Language, StudyField)


@pytest.fixture(scope="module")
def scale_world(request, django_db_setup, django_db_blocker):
    """The module's SCALE_STUDENTS students (default 3,500: about 2,100 applications)."""
    students = getattr(request.module, "SCALE_STUDENTS", 3500)
    with django_db_blocker.unblock():
        before = {model: set(model.objects.values_list("pk", flat=True)) for model in SHARED_MODELS}
        report = seed_scale(students=students)
        try:
            yield report
        finally:
            reset_scale_data()
            for model, pks in before.items():
                model.objects.exclude(pk__in=pks).delete()
