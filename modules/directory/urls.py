from django.urls import path

from modules.directory import views

app_name = "directory"
urlpatterns = [
    path("", views.business_list, name="business-list"),
    path("manage/applications/", views.application_list, name="application-list"),
    path("manage/categories/", views.category_manage, name="category-manage"),
    path("manage/categories/<int:pk>/rename/", views.category_rename, name="category-rename"),
    path("manage/categories/<int:pk>/delete/", views.category_delete, name="category-delete"),
    path("<slug:slug>/", views.business_detail, name="business-detail"),
]
