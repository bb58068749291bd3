from django.db.models import Q, QuerySet

from mobility_portal.search import fold

from .models import StudentProfile, User


def advisees_of(advisor: User, *, search: str = "") -> QuerySet[StudentProfile]:
    """The advisor's students by name; with `search`, those it names (name, e-mail or
    student number)."""
    profiles = (
        StudentProfile.objects.select_related("user", "filiere")
        .filter(advisor=advisor)
        .order_by("user__last_name", "user__first_name", "pk")
    )
    return student_search(profiles, search, student="user") if search else profiles


def student_search(queryset: QuerySet, value: str, student: str = "student") -> QuerySet:
    """`queryset` narrowed to the rows whose student (the field path `student`) matches every
    word of `value` in their first or last name, e-mail or student number. Each word is two
    small subqueries (users, profiles), which trigram indexes serve on PostgreSQL (accounts
    migration 0004), rather than one condition over the joined tables."""
    for word in value.split():
        folded = fold(word)  # "lea" finds "Léa", "LÉA" too
        users = User.objects.filter(
            Q(first_name__fold__contains=folded)
            | Q(last_name__fold__contains=folded)
            | Q(email__icontains=word)
        ).values("pk")
        profiles = StudentProfile.objects.filter(student_number__icontains=word)
        queryset = queryset.filter(
            Q(**{f"{student}__in": users}) | Q(**{f"{student}__in": profiles.values("user_id")})
        )
    return queryset
