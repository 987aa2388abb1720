from django.urls import path

from celltrace.plans import views

app_name = "plans"
urlpatterns = [
    path("patients/<int:patient_pk>/new/", views.new_plan, name="new"),
    path("<int:pk>/", views.plan_detail, name="detail"),
]
