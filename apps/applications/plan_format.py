"""The one place where stored plans become the rules engine's plan format (regulations.md)."""

from collections.abc import Iterable

from apps.accounts.models import StudentProfile

from .models import Activity, ActivityKind, MobilityPlan


def activity_document(activity: Activity) -> dict[str, object]:
    """One activity in the engine's format, with only the fields its kind carries."""
    document: dict[str, object] = {
        "id": activity.engine_id,
        "kind": activity.kind,
        "start": activity.start.isoformat(),
        "end": activity.end.isoformat(),
        "country": str(activity.country),
    }
    if activity.is_study:
        document["partner"] = activity.partner_id is not None
        document["ects"] = activity.ects if activity.ects is not None else 0
    if activity.kind == ActivityKind.EXCHANGE_YEAR and activity.ects_project is not None:
        document["ects_project"] = activity.ects_project
    if activity.kind == ActivityKind.DOUBLE_DEGREE and activity.internship_start:
        document["internship"] = {
            "start": activity.internship_start.isoformat(),
            "end": activity.internship_end.isoformat() if activity.internship_end else "",
            "country": str(activity.internship_country),
        }
    if activity.kind == ActivityKind.SUMMER_STAY:
        document["summer_type"] = activity.summer_type
        document["approvals"] = [
            body
            for body, approved in (
                ("DFI", activity.approved_by_dfi),
                ("DRI", activity.approved_by_dri),
            )
            if approved
        ]
    if activity.kind == ActivityKind.ENGINEERING_INTERNSHIP:
        document["last_obligation"] = activity.last_obligation
    return document


def plan_document(
    plan: MobilityPlan, profile: StudentProfile, activities: Iterable[Activity]
) -> dict[str, object]:
    return {
        "regulation": plan.regulation,
        "student": {
            "track": profile.track,
            "year": profile.year,
            "engineering_internship_validated": plan.engineering_internship_validated,
            "full_year_internship_before_departure": plan.full_year_internship_before_departure,
        },
        "activities": [activity_document(activity) for activity in activities],
    }
