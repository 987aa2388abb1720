from django.urls import path

from celltrace.outcomes import views

app_name = "outcomes"
urlpatterns = [
    path("", views.conditions, name="conditions"),
    path("patients/<int:patient_pk>/new/", views.record, name="record"),
    path("<slug:condition_code>/", views.condition, name="condition"),
]
