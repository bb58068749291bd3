from django.urls import path

from .views import applications, course_plans, dashboard, documents, plan, privacy

app_name = "applications"

urlpatterns = [
    path("dashboard/", dashboard.student_dashboard, name="dashboard"),
    path("privacy/export/", privacy.privacy_export, name="privacy_export"),
    path("privacy/erasure/", privacy.erasure_request, name="erasure_request"),
    path("privacy/erasure/<int:pk>/cancel/", privacy.erasure_cancel, name="erasure_cancel"),
    path("plan/", plan.plan_editor, name="plan"),
    path("plan/facts/", plan.plan_facts, name="plan_facts"),
    path("plan/check/", plan.plan_live_check, name="plan_live_check"),
    path("plan/timeline.svg", plan.plan_timeline_svg, name="plan_timeline"),
    path("plan/activities/new/", plan.activity_add, name="activity_add"),
    path("plan/activities/<int:pk>/", plan.activity_edit, name="activity_edit"),
    path("plan/activities/<int:pk>/delete/", plan.activity_delete, name="activity_delete"),
    path(
        "plan/activities/<int:pk>/courses/",
        course_plans.course_plan_edit,
        name="course_plan_edit",
    ),
    path(
        "plan/activities/<int:pk>/courses/ask-again/",
        course_plans.course_plan_ask_again,
        name="course_plan_ask_again",
    ),
    path(
        "plan/activities/<int:pk>/courses/versions/",
        course_plans.course_plan_history,
        name="course_plan_history",
    ),
    path(
        "plan/activities/<int:pk>/courses/versions/<int:version>/",
        course_plans.course_plan_version,
        name="course_plan_version",
    ),
    path("applications/", applications.application_list, name="application_list"),
    path("calls/<int:call_pk>/apply/", applications.application_start, name="application_start"),
    path("applications/<int:pk>/", applications.application_detail, name="application_detail"),
    path("applications/<int:pk>/edit/", applications.application_edit, name="application_edit"),
    path(
        "applications/<int:pk>/documents/",
        documents.document_upload,
        name="document_upload",
    ),
    path(
        "applications/<int:pk>/documents/reuse/",
        documents.document_reuse,
        name="document_reuse",
    ),
    path(
        "applications/<int:pk>/documents/reuse-all/",
        documents.document_reuse_all,
        name="document_reuse_all",
    ),
    path(
        "applications/<int:pk>/submit/", applications.application_submit, name="application_submit"
    ),
    path(
        "applications/<int:pk>/withdraw/",
        applications.application_withdraw,
        name="application_withdraw",
    ),
    path("documents/<int:pk>/download/", documents.document_download, name="document_download"),
    path("documents/<int:pk>/delete/", documents.document_delete, name="document_delete"),
]
