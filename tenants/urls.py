from django.urls import path

from tenants import views

app_name = "tenants"
urlpatterns = [
    path("", views.landing, name="landing"),
    path("nutzungsbedingungen/", views.terms, name="terms"),
    path("av-vertrag/", views.dpa, name="dpa"),
]
