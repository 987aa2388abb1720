"""The public results pages (/results/): no sign-in, published patient summaries only."""

from django.urls import path

from celltrace.outcomes import summary_views

app_name = "results"
urlpatterns = [
    path("", summary_views.results_index, name="index"),
    path("<slug:condition_code>/", summary_views.results, name="condition"),
]
