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
    path("lots/<int:pk>/certificate.pdf", views.certificate, name="certificate"),
    path("lots/<int:pk>/reject/", views.reject, name="reject"),
    path("lots/<int:pk>/allocate/", views.allocate, name="allocate"),
    path("lots/<int:pk>/investigations/", views.open_investigation, name="open_investigation"),
    path(
        "lots/<int:pk>/investigations/<int:investigation_pk>/close/",
        views.close_investigation,
        name="close_investigation",
    ),
    path("lots/<int:pk>/exceptional/accept/", views.accept_exceptional, name="accept_exceptional"),
    path(
        "lots/<int:pk>/exceptional/release/",
        views.release_exceptionally,
        name="release_exceptionally",
    ),
    path("alerts/<int:alert_pk>/acknowledge/", views.acknowledge_alert, name="acknowledge_alert"),
    path("lots/<int:pk>/divide/", views.divide, name="divide"),
    path("plans/<int:plan_pk>/autologous/", views.new_autologous, name="new_autologous"),
    path("donor-lots/new/", views.new_donor, name="new_donor"),
    path("donors/", donor_views.donor_list, name="donors"),
    path("donors/new/", donor_views.new_donor_record, name="new_donor_record"),
    path("donors/<int:pk>/", donor_views.donor_detail, name="donor_detail"),
    path("donors/<int:pk>/tests/", donor_views.add_donor_test, name="add_donor_test"),
    path("donors/<int:pk>/determine/", donor_views.determine, name="determine_donor"),
    path("lots/<int:pk>/labels/", views.print_labels, name="print_labels"),
    path("labels/", views.bulk_labels, name="bulk_labels"),
]
