from django.urls import path

from celltrace.screening import views

app_name = "screening"
urlpatterns = [
    path("patients/<int:patient_pk>/new/", views.new, name="new"),
    path("<int:pk>/", views.detail, name="detail"),
]
