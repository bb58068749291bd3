from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.utils.translation import gettext_lazy as _

from .models import Filiere, StudentProfile, User


class UserCreationForm(AdminUserCreationForm):
    class Meta:
        model = User
        fields = ("email", "role")


class UserEditForm(UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"


class StudentProfileInline(admin.StackedInline):
    model = StudentProfile
    fk_name = "user"
    can_delete = False
    autocomplete_fields = ["advisor"]


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    form = UserEditForm
    add_form = UserCreationForm
    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "role", "is_active"]
    list_filter = ["role", "is_active", "is_superuser"]
    search_fields = ["email", "first_name", "last_name", "student_profile__student_number"]
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

    def save_formset(self, request, form, formset, change):
        super().save_formset(request, form, formset, change)
        for profile_form in formset.forms:
            if "advisor" in profile_form.changed_data and profile_form.instance.pk:
                announce_to_new_advisor(profile_form.instance)

    def get_readonly_fields(self, request, obj=None):
        """An administrator who is not a superuser cannot make anyone one (themselves
        included), nor give the permissions a group carries."""
        fields = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            fields += ["is_superuser", "groups"]
        return fields

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_delete_permission(request, obj)


@admin.register(Filiere)
class FiliereAdmin(admin.ModelAdmin):
    list_display = ["code", "name"]
    search_fields = ["code", "name"]


@admin.register(StudentProfile)
class StudentProfileAdmin(admin.ModelAdmin):
    list_display = ["student_number", "user", "track", "year", "filiere", "advisor"]
    list_filter = ["track", "year", "filiere"]
    search_fields = ["student_number", "user__email", "user__last_name"]
    list_select_related = ["user", "filiere", "advisor"]
    autocomplete_fields = ["user", "advisor"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if "advisor" in form.changed_data:
            announce_to_new_advisor(obj)


def announce_to_new_advisor(profile: StudentProfile) -> None:
    """The course plans the student sent and nobody decided on are announced to the advisor
    now in charge: they moved to that advisor's queue without a word."""
    from apps.reviews.services.course_plans import course_plans_announce_to_new_advisor

    course_plans_announce_to_new_advisor(student=profile.user)
