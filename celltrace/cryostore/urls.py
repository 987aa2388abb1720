from django.urls import path

from celltrace.cryostore import views

app_name = "cryostore"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("containers/new/", views.new_container, name="new_container"),
    path("containers/<int:pk>/", views.container, name="container"),
    path("containers/<int:pk>/readings/", views.add_reading, name="add_reading"),
    path("containers/<int:pk>/limits/", views.set_limits, name="set_limits"),
    path("alarms/<int:pk>/acknowledge/", views.acknowledge, name="acknowledge"),
    path("scan/", views.scan, name="scan"),
    path("thaw/", views.thaw, name="thaw"),
    path("patients/<int:patient_pk>/consent/", views.consent, name="consent"),
    path("consents/<int:pk>/withdraw/", views.withdraw_consent, name="withdraw_consent"),
]
