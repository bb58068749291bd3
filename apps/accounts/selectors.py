from django.db.models import QuerySet

from .models import StudentProfile, User


def student_profile_for(user: User) -> StudentProfile | None:
    return StudentProfile.objects.select_related("filiere", "advisor").filter(user=user).first()


def advisees_of(advisor: User) -> QuerySet[StudentProfile]:
    return StudentProfile.objects.select_related("user", "filiere").filter(advisor=advisor)
