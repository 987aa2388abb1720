from django.urls import path

from celltrace.stays import trace_views, views

app_name = "stays"
urlpatterns = [
    path("", views.ward, name="ward"),
    path("board/", views.board, name="board"),
    path("administer/", views.administer, name="administer"),
    path("admit/<int:plan_pk>/", views.admit, name="admit"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/adverse-events/new/", views.report_event, name="report_event"),
    path("<int:pk>/discharge/", views.discharge, name="discharge"),
    path("<int:pk>/doctor/", views.assign_doctor, name="assign_doctor"),
    path("<int:pk>/bed/", views.move_bed, name="move_bed"),
    path(
        "<int:pk>/planned/<int:planned_pk>/allow-day/",
        views.allow_other_day,
        name="allow_other_day",
    ),
    path("<int:pk>/day-one/", views.day_one, name="day_one"),
    path("adverse-events/<int:pk>/", views.update_event, name="update_event"),
    path("adverse-events/rates/", views.event_rates, name="event_rates"),
    path("lot-holds/<int:pk>/clear/", views.clear_hold, name="clear_hold"),
    path("lots/<int:pk>/trace/", trace_views.lot_trace_page, name="lot_trace"),
    path("lots/<int:pk>/recall/", trace_views.recall, name="recall_lot"),
    path("patients/<int:patient_pk>/trace/", trace_views.patient_trace_page, name="patient_trace"),
]
