from django.urls import path

from celltrace.lab import views

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
    path("lots/<int:pk>/divide/", views.divide, name="divide"),
    path("plans/<int:plan_pk>/autologous/", views.new_autologous, name="new_autologous"),
    path("donor-lots/new/", views.new_donor, name="new_donor"),
]
