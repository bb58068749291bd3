"""Documents out: the learning agreement of a study activity an application chose."""

from django.urls import path

from .views import exports

AGREEMENT = "applications/<int:pk>/activities/<int:activity_pk>/learning-agreement"

urlpatterns = [
    path(f"{AGREEMENT}.pdf", exports.learning_agreement_pdf, name="learning_agreement_pdf"),
    path(
        f"{AGREEMENT}-v<int:version>.pdf",
        exports.learning_agreement_pdf,
        name="learning_agreement_version_pdf",
    ),
    path(f"{AGREEMENT}.xml", exports.learning_agreement_ewp, name="learning_agreement_ewp"),
    path(
        f"{AGREEMENT}.json",
        exports.learning_agreement_ewp_json,
        name="learning_agreement_ewp_json",
    ),
]
