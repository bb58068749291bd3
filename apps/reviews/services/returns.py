"""The return from mobility: the student uploads the host's transcript and enters the credits
obtained per course; the advisor confirms their recognition, which completes the dossier."""

from collections.abc import Iterable, Mapping
from decimal import Decimal

from django.db import transaction
from django.template.defaultfilters import floatformat
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.applications.errors import ServiceError
from apps.applications.models import (
    Activity,
    Application,
    ApplicationState,
    CourseLine,
    CoursePlan,
    CoursePlanStatus,
    Document,
    DocumentKind,
    written_for_the_stays_host,
)
from apps.applications.services import document_store
from apps.applications.workflow import move
from apps.notifications.events import announce_credits_recognised, announce_credits_to_recognise

from ..selectors_advisor import (
    RETURN_STATES,
    credits_stamp,
    nominated_activity,
    recognition_course_plan,
)
from .course_plans import locked_course_plan_of_advisee

S = ApplicationState


def _locked_return(actor: User, application: Application) -> Application:
    application = (
        Application.objects.select_for_update(of=("self",))
        .select_related("nominated_choice__activity")
        .get(pk=application.pk)
    )
    if application.student_id != actor.pk:
        raise ServiceError(_("Only the student can record their own return."))
    if application.state not in RETURN_STATES:
        raise ServiceError(
            _("This application is %(state)s: the return is recorded during the mobility or after.")
            % {"state": application.get_state_display().lower()}
        )
    return application


@transaction.atomic
def return_transcript_upload(*, actor: User, application: Application, upload) -> Document:
    """Keep the host's transcript of records (a PDF) with the dossier, replacing any earlier one."""
    application = _locked_return(actor, application)
    document = document_store(
        application=application, kind=DocumentKind.HOST_TRANSCRIPT, upload=upload, actor=actor
    )
    announce_when_recognition_is_due(application)
    return document


@transaction.atomic
def course_plan_record_ects(
    *, actor: User, application: Application, ects_obtained: Mapping[int, Decimal | None]
) -> CoursePlan:
    """Record the ECTS obtained per line (by line pk; None: not known yet) of the approved
    course plan of the stay the student was nominated to."""
    application = _locked_return(actor, application)
    course_plan = recognition_course_plan(nominated_activity(application))
    if course_plan is None:
        raise ServiceError(_("Your stay has no approved course plan to record credits against."))
    course_plan = CoursePlan.objects.select_for_update().get(pk=course_plan.pk)
    if course_plan.recognition_confirmed_at is not None:
        raise ServiceError(_("Your advisor has already confirmed the recognition of your credits."))
    lines = {line.pk: line for line in course_plan.lines.select_for_update()}
    if set(ects_obtained) - set(lines):
        raise ServiceError(_("Some courses are not part of your approved course plan."))
    if any(value is not None and value < 0 for value in ects_obtained.values()):
        raise ServiceError(_("Credits obtained cannot be negative."))
    beyond = [
        _("%(code)s %(title)s: at most its %(ects)s ECTS can be obtained.")
        % {
            "code": lines[pk].code,
            "title": lines[pk].title,
            # As the pages write credits: 6, 7,5 in French (the field's own text is 6.0, 7.5).
            "ects": floatformat(lines[pk].ects, -1),
        }
        for pk, value in ects_obtained.items()
        if value is not None and value > lines[pk].ects
    ]
    if beyond:
        raise ServiceError(*beyond)
    for pk, value in ects_obtained.items():
        lines[pk].ects_obtained = value
    CourseLine.objects.bulk_update([lines[pk] for pk in ects_obtained], ["ects_obtained"])
    announce_when_recognition_is_due(application)
    return course_plan


def _recognition_problems(application: Application, course_plan: CoursePlan) -> list[str]:
    return recognition_problems(
        has_transcript=application.documents.filter(kind=DocumentKind.HOST_TRANSCRIPT).exists(),
        lines=course_plan.lines.all(),
    )


def recognition_problems(*, has_transcript: bool, lines: Iterable[CourseLine]) -> list[str]:
    """What the recognition still waits for from the student: the host's transcript, and the
    ECTS obtained in each course (the page tells it from what it has read, no query)."""
    problems = []
    if not has_transcript:
        problems.append(_("The host's transcript of records is not uploaded yet."))
    not_entered = [line.code for line in lines if line.ects_obtained is None]
    if not_entered:
        problems.append(
            _("The ECTS obtained are not entered yet for: %(codes)s.")
            % {"codes": ", ".join(not_entered)}
        )
    return problems


def _change_still_open(course_plan: CoursePlan) -> CoursePlan | None:
    """A later version sent and not approved: a change of courses still open (the student
    changed courses abroad). Recognising the credits now would close the course plan on the
    courses the student no longer took, and leave that version undecided for ever."""
    latest = CoursePlan.objects.filter(activity_id=course_plan.activity_id).order_by("-version")
    latest = latest.exclude(status=CoursePlanStatus.DRAFT).first()
    return latest if latest is not None and latest.version > course_plan.version else None


def recognised_elsewhere(course_plan: CoursePlan, activity: Activity) -> str:
    """Why the credits of `activity` (the stay the student went to) are not recognised against
    `course_plan`, an approved version of its course plan (empty: they are): it lists courses
    of a host the stay has left since (a nomination elsewhere), or a later version is approved."""
    if not course_plan.is_for_host_of(activity):
        return _(
            "Version %(version)s lists courses at %(host)s, and the stay is now at %(current)s: "
            "the credits are recognised against a course plan approved for %(current)s."
        ) % {
            "version": course_plan.version,
            "host": course_plan.host_display,
            "current": activity.host_display,
        }
    latest = (
        CoursePlan.objects.filter(
            activity=activity, status=CoursePlanStatus.APPROVED, version__gt=course_plan.version
        )
        .filter(written_for_the_stays_host())
        .order_by("-version")
        .values_list("version", flat=True)
        .first()
    )
    if latest is not None:
        return _("Version %(version)s is the latest approved one: recognise that one.") % {
            "version": latest
        }
    return ""


def change_still_open(course_plan: CoursePlan) -> str:
    """Why the credits are not recognised yet against `course_plan` because of a later version
    not approved (empty: there is none)."""
    latest = _change_still_open(course_plan)
    if latest is None:
        return ""
    return _(
        "Version %(version)s of the course plan is %(status)s: it must be approved "
        "before the credits are recognised."
    ) % {"version": latest.version, "status": latest.get_status_display().lower()}


def not_recognisable_yet(application: Application, course_plan: CoursePlan) -> str:
    """Why the advisor cannot recognise the credits of `application`'s stay against
    `course_plan`, an approved version not recognised yet (empty: nothing stands in the way but
    the credits and the transcript): the student still abroad, another version to recognise,
    or a change of courses still open."""
    if application.state == S.IN_MOBILITY:
        return _(
            "The student is still in mobility: the international relations office records "
            "their return first."
        )
    return recognised_elsewhere(course_plan, nominated_activity(application)) or (
        change_still_open(course_plan)
    )


def announce_when_recognition_is_due(application: Application) -> None:
    """Once the student is back with the host's transcript uploaded and every credit obtained
    entered, whichever comes last, the advisor is told that their recognition is awaited."""
    if application.state != S.RETURNED:
        return
    course_plan = recognition_course_plan(nominated_activity(application))
    if course_plan is None or course_plan.recognition_confirmed_at is not None:
        return
    if _change_still_open(course_plan) is None and not _recognition_problems(
        application, course_plan
    ):
        announce_credits_to_recognise(course_plan, application.pk)


def recognitions_announce_to_new_advisor(*, student: User) -> None:
    """After the student's study advisor changed: a recognition already due is announced to
    the new advisor, whose page now lists it (they were never told)."""
    for application in Application.objects.filter(student=student, state=S.RETURNED):
        announce_when_recognition_is_due(application)


@transaction.atomic
def course_plan_confirm_recognition(
    *, actor: User, course_plan: CoursePlan, seen_credits: str = ""
) -> CoursePlan:
    """The advisor recognises the credits obtained: the dossier becomes completed.
    `seen_credits` is the `credits_stamp` of the page the advisor confirmed from (empty: no
    check): credits or a transcript the student changed since refuse the confirmation, which
    would otherwise recognise what the advisor did not check."""
    course_plan = locked_course_plan_of_advisee(actor, course_plan.pk)
    if course_plan.recognition_confirmed_at is not None:
        raise ServiceError(_("The recognition of these credits is already confirmed."))
    if course_plan.status != CoursePlanStatus.APPROVED:
        raise ServiceError(_("Only an approved course plan is recognised."))
    application = (
        Application.objects.select_for_update(of=("self",))
        .filter(nominated_choice__activity_id=course_plan.activity_id, state__in=RETURN_STATES)
        .select_related("nominated_choice__activity")
        .first()
    )
    if application is None:
        raise ServiceError(
            _("The student has not left for this stay: there is nothing to recognise.")
        )
    reason = not_recognisable_yet(application, course_plan)
    if reason:
        raise ServiceError(reason)
    if seen_credits:
        transcript = application.documents.filter(kind=DocumentKind.HOST_TRANSCRIPT).first()
        if seen_credits != credits_stamp(course_plan.lines.all(), transcript):
            raise ServiceError(
                _(
                    "The student changed the credits obtained or the transcript since you "
                    "opened the page: check them again, then confirm."
                )
            )
    problems = _recognition_problems(application, course_plan)
    if problems:
        raise ServiceError(*problems)
    course_plan.recognition_confirmed_by = actor
    course_plan.recognition_confirmed_at = timezone.now()
    course_plan.save(update_fields=["recognition_confirmed_by", "recognition_confirmed_at"])
    announce_credits_recognised(course_plan)
    move(application, actor=actor, to_state=S.COMPLETED)
    return course_plan
