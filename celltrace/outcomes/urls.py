from django.urls import path

from celltrace.outcomes import exam_views, instrument_views, summary_views, views

app_name = "outcomes"
urlpatterns = [
    path("", views.conditions, name="conditions"),
    path("patients/<int:patient_pk>/new/", views.record, name="record"),
    path(
        "patients/<int:patient_pk>/instruments/<slug:code>/new/",
        instrument_views.instrument_new,
        name="instrument_new",
    ),
    path("patients/<int:patient_pk>/isncsci/new/", exam_views.isncsci_new, name="isncsci_new"),
    path(
        "patients/<int:patient_pk>/isncsci/preview/",
        exam_views.isncsci_preview,
        name="isncsci_preview",
    ),
    path("patients/<int:patient_pk>/edss/new/", exam_views.edss_new, name="edss_new"),
    path("patients/<int:patient_pk>/edss/", exam_views.edss_course, name="edss_course"),
    path(
        "patients/<int:patient_pk>/edss/card/",
        exam_views.edss_course_card,
        name="edss_course_card",
    ),
    path("patients/<int:patient_pk>/relapses/new/", exam_views.relapse_new, name="relapse_new"),
    path("patients/<int:patient_pk>/mri/new/", exam_views.mri_scan_new, name="mri_scan_new"),
    path(
        "patients/<int:patient_pk>/results/",
        summary_views.patient_results,
        name="patient_results",
    ),
    path(
        "patient-summaries/<int:summary_pk>/withdraw/",
        summary_views.withdraw_summary,
        name="withdraw_summary",
    ),
    path("<slug:condition_code>/", views.condition, name="condition"),
    path(
        "<slug:condition_code>/patient-summary/",
        summary_views.publish_summary,
        name="publish_summary",
    ),
    *(
        path(
            f"<slug:condition_code>/report.{fmt}",
            views.report_file,
            {"fmt": fmt},
            name=f"report_{fmt}",
        )
        for fmt in ("json", "csv", "pdf")
    ),
]
