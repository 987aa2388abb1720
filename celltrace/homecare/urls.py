from django.urls import path

from celltrace.homecare import views

app_name = "homecare"
urlpatterns = [
    path("", views.my_home_care, name="mine"),
    path("doses/<int:pk>/confirm/", views.confirm, name="confirm"),
    path("doses/<int:pk>/skip/", views.skip, name="skip"),
    path("doses/<int:pk>/phoned/", views.record_phoned, name="phoned"),
    path("missed/", views.missed, name="missed"),
]
