from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from mobility_portal.search import FoldedSearchMixin

from .models import Filiere, StudentProfile, User
from .roles import Capability, Role, user_can


class UserCreationForm(AdminUserCreationForm):
    class Meta:
        model = User
        fields = ("email", "role")


class UserEditForm(UserChangeForm):
    # The account editing it, set by UserAdmin.get_form.
    editor: User | None = None

    class Meta:
        model = User
        fields = "__all__"

    def clean(self):
        cleaned = super().clean()
        user = self.instance
        if user.pk is None:
            return cleaned
        role = cleaned.get("role", user.role)
        active = cleaned.get("is_active", user.is_active)
        superuser = cleaned.get("is_superuser", user.is_superuser)
        # An advisor's students keep them as their advisor: their course plans would wait in
        # a queue nobody reads any more.
        if user.role == Role.ADVISOR and (role != Role.ADVISOR or not active):
            advisees = StudentProfile.objects.filter(advisor=user).count()
            if advisees:
                raise ValidationError(
                    ngettext(
                        "%(count)d student has this study advisor: give them another advisor "
                        "in their student profile first.",
                        "%(count)d students have this study advisor: give them another advisor "
                        "in their student profile first.",
                        advisees,
                    )
                    % {"count": advisees}
                )
        # A student's application under way would be nobody's: they could no longer withdraw
        # it nor send course plans, and as staff would decide on their own dossier.
        if user.role == Role.STUDENT and role != Role.STUDENT:
            under_way = applications_under_way(user)
            if under_way:
                raise ValidationError(
                    ngettext(
                        "This student has %(count)d application under way: it must be "
                        "withdrawn or come to an end before their role changes.",
                        "This student has %(count)d applications under way: they must be "
                        "withdrawn or come to an end before their role changes.",
                        under_way,
                    )
                    % {"count": under_way}
                )
        keeps_access = active and (superuser or role == Role.ADMIN)
        if keeps_access or not user_can(user, Capability.MANAGE_USERS):
            return cleaned
        # The one editing keeps theirs: someone is always left to manage accounts.
        if self.editor is not None and self.editor.pk == user.pk:
            raise ValidationError(
                _("You cannot take away your own access to accounts: ask another administrator.")
            )
        return cleaned


def applications_under_way(student: User) -> int:
    """How many of the student's applications are neither a draft nor ended."""
    from apps.applications.models import Application, ApplicationState

    ended = (
        ApplicationState.DRAFT,
        ApplicationState.WITHDRAWN,
        ApplicationState.REFUSED,
        ApplicationState.COMPLETED,
    )
    return Application.objects.filter(student=student).exclude(state__in=ended).count()


class ActiveAdvisorChoice:
    """A closed advisor account is not offered as a student's advisor: the course plans sent to
    it would wait in a queue nobody reads (the no-advisor notice is not sent either)."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "advisor":
            kwargs["queryset"] = User.objects.filter(role=Role.ADVISOR, is_active=True)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class StudentProfileInline(ActiveAdvisorChoice, admin.StackedInline):
    model = StudentProfile
    fk_name = "user"
    can_delete = False
    autocomplete_fields = ["advisor"]


@admin.register(User)
class UserAdmin(FoldedSearchMixin, DjangoUserAdmin):
    form = UserEditForm
    add_form = UserCreationForm
    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "role", "is_active"]
    list_filter = ["role", "is_active", "is_superuser"]
    # Accents and case left aside (FoldedSearchMixin): "lea" finds "Léa", here and in the
    # autocompletes that pick a user (a profile's student and advisor).
    search_fields = [
        "email__fold__contains",
        "first_name__fold__contains",
        "last_name__fold__contains",
        "student_profile__student_number__fold__contains",
    ]
    inlines = [StudentProfileInline]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Person"), {"fields": ("first_name", "last_name", "language")}),
        (_("Role"), {"fields": ("role", "is_active", "is_superuser", "groups")}),
        (_("Dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("email", "role", "password1", "password2")}),
    )
    filter_horizontal = ["groups"]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        return type(form.__name__, (form,), {"editor": request.user})

    def save_formset(self, request, form, formset, change):
        super().save_formset(request, form, formset, change)
        for profile_form in formset.forms:
            if profile_form.instance.pk:
                profile_changed(profile_form.instance, profile_form.changed_data)

    def get_readonly_fields(self, request, obj=None):
        """An administrator who is not a superuser cannot make anyone one (themselves
        included), nor give the permissions a group carries."""
        fields = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            fields += ["is_superuser", "groups"]
        return fields

    def has_change_permission(self, request, obj=None):
        if _a_superuser_for_others(request, obj):
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if _a_superuser_for_others(request, obj):
            return False
        # Not one's own account (locked out), nor an advisor's whose students would be left
        # without one, their course plans waiting for nobody.
        if obj is not None and (obj.pk == request.user.pk or obj.advisees.exists()):
            return False
        return super().has_delete_permission(request, obj)


def _a_superuser_for_others(request, obj: User | None) -> bool:
    """A superuser's account, which only superusers change."""
    return obj is not None and obj.is_superuser and not request.user.is_superuser


@admin.register(Filiere)
class FiliereAdmin(FoldedSearchMixin, admin.ModelAdmin):
    list_display = ["code", "name"]
    search_fields = ["code__fold__contains", "name__fold__contains"]


@admin.register(StudentProfile)
class StudentProfileAdmin(FoldedSearchMixin, ActiveAdvisorChoice, admin.ModelAdmin):
    list_display = ["student_number", "user", "track", "year", "filiere", "advisor"]
    list_filter = ["track", "year", "filiere"]
    search_fields = [
        "student_number__fold__contains",
        "user__email__fold__contains",
        "user__first_name__fold__contains",
        "user__last_name__fold__contains",
    ]
    list_select_related = ["user", "filiere", "advisor"]
    autocomplete_fields = ["user", "advisor"]

    def get_readonly_fields(self, request, obj=None):
        """A profile stays with its student: moved to another account, the student's plan
        and applications lost their track, year and advisor."""
        fields = list(super().get_readonly_fields(request, obj))
        return [*fields, "user"] if obj is not None else fields

    def has_delete_permission(self, request, obj=None):
        """Not while an application is under way: the student's plan could no longer be
        checked nor their course plans reach an advisor."""
        if obj is not None and applications_under_way(obj.user):
            return False
        return super().has_delete_permission(request, obj)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        profile_changed(obj, form.changed_data)


# The facts of a profile the regulations read (plan_format.plan_document).
CHECKED_FACTS = frozenset({"track", "year"})


def profile_changed(profile: StudentProfile, changed: list[str]) -> None:
    """After a profile was saved in the admin: a new advisor hears of what awaits them; a
    changed track or year re-checks the plan, whose verdict staff lists read (a FISE student
    made an apprentice needs 9 weeks abroad, not 17)."""
    if "advisor" in changed:
        announce_to_new_advisor(profile)
    if CHECKED_FACTS.intersection(changed):
        from apps.applications.models import MobilityPlan
        from apps.applications.services import plan_recheck

        plan = MobilityPlan.objects.filter(student=profile.user).first()
        if plan is not None:
            plan.student = profile.user
            plan_recheck(plan)


def announce_to_new_advisor(profile: StudentProfile) -> None:
    """The course plans the student sent and nobody decided on, and a recognition of credits
    already due, are announced to the advisor now in charge: they moved to that advisor's page
    without a word."""
    from apps.reviews.services.course_plans import course_plans_announce_to_new_advisor
    from apps.reviews.services.returns import recognitions_announce_to_new_advisor

    course_plans_announce_to_new_advisor(student=profile.user)
    recognitions_announce_to_new_advisor(student=profile.user)
