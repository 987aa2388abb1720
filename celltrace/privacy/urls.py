from django.urls import path

from celltrace.privacy import views

app_name = "privacy"
urlpatterns = [
    path("patients/<int:pk>/export.zip", views.export, name="export"),
    path("patients/<int:pk>/erase/", views.erase, name="erase"),
]
