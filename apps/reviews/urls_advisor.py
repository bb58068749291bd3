"""Study advisors' pages, and the return and DFI/DRI validation pages next to them."""

from django.urls import path

from .views import advisor, returns, validations

urlpatterns = [
    path("course-plans/", advisor.advisor_queue, name="advisor_queue"),
    path("course-plans/<int:pk>/", advisor.advisor_course_plan, name="advisor_course_plan"),
    path("students/<int:pk>/", advisor.advisee, name="advisee"),
    path(
        "course-plans/<int:pk>/recognition/",
        returns.return_recognition,
        name="return_recognition",
    ),
    path("returns/<int:pk>/", returns.return_page, name="return_page"),
    path("returns/<int:pk>/transcript/", returns.return_transcript, name="return_transcript"),
    path("validations/", validations.validation_queue_page, name="validation_queue"),
    path("validations/<int:pk>/", validations.validation_detail, name="validation_detail"),
    path(
        "validations/request/<int:pk>/",
        validations.validation_request,
        name="validation_request",
    ),
]
