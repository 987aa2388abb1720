from django.urls import path

from celltrace.care import views

app_name = "care"
urlpatterns = [
    path("stays/<int:stay_pk>/rounds/new/", views.record_round, name="record_round"),
    path("stays/<int:stay_pk>/therapy/schedule/", views.schedule_therapy, name="schedule_therapy"),
    path("stays/<int:stay_pk>/letter.pdf", views.letter, name="discharge_letter"),
    path("therapy/today/", views.therapy_today, name="therapy_today"),
    path("therapy/<int:pk>/move/", views.reschedule, name="reschedule"),
    path("therapy/<int:pk>/record/", views.mark, name="mark"),
    path("services/", views.services, name="services"),
    path(
        "plans/<int:plan_pk>/interpreter/",
        views.book,
        {"kind": "interpreter"},
        name="book_interpreter",
    ),
    path("plans/<int:plan_pk>/transfer/", views.book, {"kind": "transfer"}, name="book_transfer"),
    path("plans/<int:plan_pk>/meals/", views.book, {"kind": "meals"}, name="book_meals"),
    path("bookings/<int:pk>/cancel/", views.cancel, name="cancel_booking"),
]
