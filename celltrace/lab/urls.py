from django.urls import path

from celltrace.lab import donor_views, views

app_name = "lab"
urlpatterns = [
    path("lots/", views.lots, name="lots"),
    path("worklist/", views.worklist, name="worklist"),
    path("lots/<int:pk>/", views.lot_detail, name="lot_detail"),
    path("lots/<int:pk>/steps/", views.add_step, name="add_step"),
    path("lots/<int:pk>/qc/", views.add_qc, name="add_qc"),
    path("lots/<int:pk>/release/", views.release, name="release"),
    path("lots/<int:pk>/reject/", views.reject, name="reject"),
    path("lots/<int:pk>/allocate/", views.allocate, name="allocate"),
    path("plans/<int:plan_pk>/autologous/", views.new_autologous, name="new_autologous"),
    path("donor-lots/new/", views.new_donor, name="new_donor"),
    path("donors/", donor_views.donor_list, name="donors"),
    path("donors/new/", donor_views.new_donor_record, name="new_donor_record"),
    path("donors/<int:pk>/", donor_views.donor_detail, name="donor_detail"),
    path("donors/<int:pk>/tests/", donor_views.add_donor_test, name="add_donor_test"),
    path("donors/<int:pk>/determine/", donor_views.determine, name="determine_donor"),
]
