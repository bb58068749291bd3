from django.db.models import QuerySet

from .models import StudentProfile, User


def advisees_of(advisor: User) -> QuerySet[StudentProfile]:
    return StudentProfile.objects.select_related("user", "filiere").filter(advisor=advisor)
