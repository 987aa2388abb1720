from django.urls import path

from celltrace.questionnaires import views

app_name = "questionnaires"

urlpatterns = [
    path("", views.mine, name="mine"),
    path("<slug:code>/", views.answer, name="answer"),
]
