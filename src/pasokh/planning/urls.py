from django.urls import path

from pasokh.planning import views

app_name = "planning"

urlpatterns = [
    path("", views.staffing, name="staffing"),
    path("forecast/", views.forecast, name="forecast"),
    path("simulations/", views.simulations, name="simulations"),
    path("simulations/<int:run_id>/", views.simulation, name="simulation"),
]
