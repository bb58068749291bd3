"""Building plans through the services, as a student would."""

from datetime import date

from apps.applications import services

SEMESTER = {
    "kind": "exchange_semester",
    "start": date(2027, 9, 1),
    "end": date(2028, 1, 31),
    "country": "DE",
    "host_name": "TU Berlin",
    "ects": 30,
}


def add_activity(student, **fields):
    plan = services.plan_for_student(student)
    return services.activity_create(actor=student, plan=plan, fields={**SEMESTER, **fields})


def activity_post_data(**fields) -> dict[str, str]:
    data = {**SEMESTER, **fields}
    return {key: "" if value is None else str(value) for key, value in data.items()}
