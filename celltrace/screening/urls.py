from django.urls import path

from celltrace.screening import views

app_name = "screening"
urlpatterns = [
    path("patients/<int:patient_pk>/facts/", views.facts, name="facts"),
    path("patients/<int:patient_pk>/new/", views.new, name="new"),
    path(
        "patients/<int:patient_pk>/prior-therapies/",
        views.prior_therapies,
        name="prior_therapies",
    ),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/sign/", views.sign, name="sign"),
    path("<int:pk>/report.pdf", views.report_pdf, name="report_pdf"),
]
