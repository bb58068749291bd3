"""Read-only views of the students' plans and applications. Every change to them goes through
the portal's services, which check the rules, seats and states and keep the history: an edit
here would bypass all of that (a nomination to another student's choice, with no seat counted
and no history row).

Deleting is refused too, and so is deleting what would take them along (a user, a call or a
partner with dossiers): a dossier's history is kept. Personal data leaves through
`manage.py anonymise_dossiers` once the retention period is over."""

from django.contrib import admin

from mobility_portal.search import FoldedSearchMixin

from .models import (
    Activity,
    Application,
    Choice,
    CourseLine,
    CoursePlan,
    ErasureRequest,
    ErasureTransition,
    MobilityPlan,
    Transition,
)


class ReadOnlyAdminMixin:
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class RelatedRowsInline(ReadOnlyAdminMixin, admin.TabularInline):
    """An inline whose rows show related objects, read with the rows (`related`) rather than
    one query per row and field."""

    related: tuple[str, ...] = ()

    def get_queryset(self, request):
        return super().get_queryset(request).select_related(*self.related)


# The student's e-mail and names, accents and case left aside (FoldedSearchMixin).
STUDENT_SEARCH = [
    "student__email__fold__contains",
    "student__first_name__fold__contains",
    "student__last_name__fold__contains",
]


class ActivityInline(RelatedRowsInline):
    model = Activity
    related = ("partner",)
    extra = 0
    fields = ["kind", "start", "end", "partner", "host_name", "country", "ects"]


@admin.register(MobilityPlan)
class MobilityPlanAdmin(FoldedSearchMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["student", "regulation", "compliant", "error_count", "checked_at"]
    list_filter = ["compliant", "regulation"]
    search_fields = STUDENT_SEARCH
    list_select_related = ["student"]
    inlines = [ActivityInline]


class ChoiceInline(RelatedRowsInline):
    model = Choice
    related = ("activity__partner", "agreement__partner")
    extra = 0


class TransitionInline(RelatedRowsInline):
    model = Transition
    related = ("actor", "undoes")
    extra = 0


@admin.register(Application)
class ApplicationAdmin(FoldedSearchMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["student", "call", "state", "submitted_at"]
    list_filter = ["state", "call"]
    search_fields = STUDENT_SEARCH
    list_select_related = ["student", "call"]
    inlines = [ChoiceInline, TransitionInline]


class CourseLineInline(RelatedRowsInline):
    model = CourseLine
    related = ("decided_by",)
    extra = 0


@admin.register(CoursePlan)
class CoursePlanAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["activity", "version", "created_at"]
    list_select_related = ["activity__partner"]  # each row names its activity's host
    readonly_fields = ["partner", "host_name"]  # the host it lists courses of (not editable)
    inlines = [CourseLineInline]


class ErasureTransitionInline(RelatedRowsInline):
    model = ErasureTransition
    related = ("actor",)
    extra = 0


@admin.register(ErasureRequest)
class ErasureRequestAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Read only: a request is carried out or refused from the portal's own page, which
    anonymises the student, writes the history and tells them."""

    list_display = ["student", "state", "created_at", "decided_at"]
    list_filter = ["state"]
    list_select_related = ["student"]
    inlines = [ErasureTransitionInline]
