import time
from tests.reviews.exports.builders import *
from tests.applications.factories import CourseLineFactory
from apps.reviews.exports.learning_agreement import learning_agreement_for
from apps.reviews.exports.pdf import learning_agreement_pdf
from django.template.loader import render_to_string

def test_t(student, advisor, dri):
    application, activity = application_to(student, host())
    cp = version(activity, 1, advisor=advisor, decided=days_ago(40))
    CourseLineFactory.create_batch(60, course_plan=cp)
    la = learning_agreement_for(student, application_pk=application.pk, activity_pk=activity.pk)
    for i in range(3):
        t=time.perf_counter(); learning_agreement_pdf(la); print("pdf", time.perf_counter()-t)
    open("/tmp/big.html","w").write(render_to_string("reviews/learning_agreement_pdf.html", {"agreement": la}))
