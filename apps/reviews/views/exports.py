"""Downloads of a learning agreement: printable PDF, Erasmus Without Paper XML and the same
document as JSON, for anyone who may see the application (the student, their advisor, staff);
404 for everyone else."""

from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils.http import content_disposition_header

from apps.applications.errors import ServiceError
from mobility_portal.refusals import report_refusal

from ..exports.ewp import approved_versions, learning_agreement_json, learning_agreement_xml
from ..exports.learning_agreement import LearningAgreement, learning_agreement_for
from ..exports.pdf import learning_agreement_pdf as render_pdf


def learning_agreement_pdf(request, pk: int, activity_pk: int, version: int | None = None):
    agreement = learning_agreement_for(
        request.user, application_pk=pk, activity_pk=activity_pk, version=version
    )
    try:
        pdf = render_pdf(agreement)
    except ServiceError as refusal:
        return _refused(request, pk, refusal)
    return _attachment(pdf, "application/pdf", _file_name(agreement, "pdf"))


def learning_agreement_ewp(request, pk: int, activity_pk: int):
    return _ewp_document(request, pk, activity_pk, learning_agreement_xml, "application/xml", "xml")


def learning_agreement_ewp_json(request, pk: int, activity_pk: int):
    return _ewp_document(
        request, pk, activity_pk, learning_agreement_json, "application/json", "json"
    )


def _ewp_document(request, pk, activity_pk, render_document, content_type, extension):
    agreement = learning_agreement_for(request.user, application_pk=pk, activity_pk=activity_pk)
    try:
        document = render_document(agreement)
    except ServiceError as refusal:
        return _refused(request, pk, refusal)
    # Named after the latest version it carries: one still awaiting the advisor is left out.
    number = approved_versions(agreement)[-1].number
    return _attachment(document, content_type, _file_name(agreement, extension, number))


def _refused(request, application_pk: int, refusal: ServiceError):
    report_refusal(request, refusal)
    return redirect("applications:application_detail", application_pk)


def _file_name(agreement: LearningAgreement, extension: str, version: int | None = None) -> str:
    """The student number, then the mobility's reference (application-activity): a student's
    two study activities make two different files."""
    student = f"{agreement.student.number}-" if agreement.student.number else ""
    number = version or agreement.version.number
    return f"learning-agreement-{student}{agreement.reference}-v{number}.{extension}"


def _attachment(content: bytes, content_type: str, file_name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, file_name)
    return response
