from django.contrib import admin

from .models import Activity, Application, Choice, CourseLine, CoursePlan, MobilityPlan, Transition


class ActivityInline(admin.TabularInline):
    model = Activity
    extra = 0
    fields = ["kind", "start", "end", "partner", "host_name", "country", "ects"]
    autocomplete_fields = ["partner"]


@admin.register(MobilityPlan)
class MobilityPlanAdmin(admin.ModelAdmin):
    list_display = ["student", "regulation", "compliant", "error_count", "checked_at"]
    list_filter = ["compliant", "regulation"]
    search_fields = ["student__email", "student__last_name"]
    list_select_related = ["student"]
    readonly_fields = ["compliant", "error_count", "qualifying_days", "checked_at"]
    inlines = [ActivityInline]


class ChoiceInline(admin.TabularInline):
    model = Choice
    extra = 0


class TransitionInline(admin.TabularInline):
    model = Transition
    extra = 0
    can_delete = False
    readonly_fields = ["at", "actor", "from_state", "to_state", "comment"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):
    list_display = ["student", "call", "state", "submitted_at"]
    list_filter = ["state", "call"]
    search_fields = ["student__email", "student__last_name"]
    list_select_related = ["student", "call"]
    readonly_fields = ["state", "snapshot", "submitted_at"]
    inlines = [ChoiceInline, TransitionInline]


class CourseLineInline(admin.TabularInline):
    model = CourseLine
    extra = 0


@admin.register(CoursePlan)
class CoursePlanAdmin(admin.ModelAdmin):
    list_display = ["activity", "version", "created_at"]
    inlines = [CourseLineInline]
