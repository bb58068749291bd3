from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mobility_portal.collation import collated

from .roles import Role

# The address an erased (anonymised) account is left with: ".example" is reserved, nobody else
# has it.
ERASED_EMAIL_DOMAIN = "@invalid.example"


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **fields):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **fields):
        fields.setdefault("role", Role.ADMIN)
        fields["is_superuser"] = True
        return self.create_user(email, password, **fields)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who logs in with their e-mail address; what they may do follows from `role`."""

    email = models.EmailField(_("e-mail address"), unique=True)
    first_name = models.CharField(_("first name"), max_length=150, blank=True)
    last_name = models.CharField(_("last name"), max_length=150, blank=True)
    role = models.CharField(_("role"), max_length=16, choices=Role.choices, default=Role.STUDENT)
    language = models.CharField(
        _("preferred language"),
        max_length=8,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
    )
    notify_new_applications = models.BooleanField(
        _("tell me of every submitted application (by e-mail and on my notifications page)"),
        default=False,
        help_text=_("For the international relations office."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["last_name", "first_name", "email"]
        indexes = [
            models.Index(fields=["role"]),
            # The staff queue sorted by student name reads users in this order, names compared
            # as a reader compares them (mobility_portal/collation.py).
            models.Index(
                collated("last_name"),
                collated("first_name"),
                F("id"),
                name="user_name_collated_idx",
            ),
        ]

    def __str__(self) -> str:
        return self.get_full_name() or self.email

    @property
    def is_erased(self) -> bool:
        """Anonymised by an erasure (applications.privacy): no name or address is left."""
        return self.email.endswith(ERASED_EMAIL_DOMAIN)

    def clean(self) -> None:
        super().clean()
        # Accounts are found by their e-mail in lower case (backends.login_email): one typed
        # with capitals in the admin could never log in.
        self.email = UserManager.normalize_email(self.email).strip().lower()

    @property
    def is_staff(self) -> bool:
        """Django admin access follows the role (see roles.Capability.USE_ADMIN_SITE)."""
        return self.is_superuser or self.role in (Role.DRI, Role.ADMIN)

    def get_full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    def get_short_name(self) -> str:
        return self.first_name or self.email


class Filiere(models.Model):
    """A major of the engineering curriculum; study advisors are tied to one."""

    code = models.SlugField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=200)

    class Meta:
        verbose_name = _("filière (major)")
        verbose_name_plural = _("filières (majors)")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Track(models.TextChoices):
    FISE = "FISE", _("FISE (student status)")
    FISEA = "FISEA", _("FISEA (apprentice)")


class StudyYear(models.IntegerChoices):
    FIRST = 1, _("1A (first year)")
    SECOND = 2, _("2A (second year)")
    THIRD = 3, _("3A (third year)")


class StudentProfile(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="student_profile",
        verbose_name=_("user"),
    )
    student_number = models.CharField(_("student number"), max_length=32, unique=True)
    track = models.CharField(_("track"), max_length=8, choices=Track.choices, default=Track.FISE)
    year = models.PositiveSmallIntegerField(
        _("year"), choices=StudyYear.choices, default=StudyYear.FIRST
    )
    filiere = models.ForeignKey(
        Filiere,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="students",
        verbose_name=_("filière (major)"),
    )
    advisor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="advisees",
        limit_choices_to={"role": Role.ADVISOR},
        verbose_name=_("study advisor"),
    )

    class Meta:
        verbose_name = _("student profile")
        verbose_name_plural = _("student profiles")
        ordering = ["student_number"]

    def __str__(self) -> str:
        return f"{self.user} ({self.student_number})"
