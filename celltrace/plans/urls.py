from django.urls import path

from celltrace.plans import views

app_name = "plans"
urlpatterns = [
    path("patients/<int:patient_pk>/new/", views.new_plan, name="new"),
    path("<int:pk>/", views.plan_detail, name="detail"),
    path("<int:pk>/amend/", views.amend_plan, name="amend"),
    path("<int:pk>/cancel/", views.cancel_plan, name="cancel"),
    path("<int:pk>/accept-quote/", views.accept_quote, name="accept_quote"),
]
