from django.urls import path

from modules.errands import views

app_name = "errands"
urlpatterns = [
    path("", views.request_list, name="request-list"),
    # The detail page is the first route with a parameter (the isolation suite opens it after re-enabling).
    path("requests/<int:request_id>/", views.request_detail, name="request-detail"),
    path("requests/<int:request_id>/accept/", views.request_accept, name="request-accept"),
    path("requests/<int:request_id>/release/", views.request_release, name="request-release"),
    path("requests/<int:request_id>/bought/", views.request_bought, name="request-bought"),
    path("requests/<int:request_id>/delivered/", views.request_delivered, name="request-delivered"),
    path("requests/<int:request_id>/cancel/", views.request_cancel, name="request-cancel"),
    path("requests/<int:request_id>/messages/", views.request_comment, name="request-comment"),
    path("requests/<int:request_id>/report/", views.request_report, name="request-report"),
    path("requests/<int:request_id>/block/", views.request_block, name="request-block"),
    path("requests/new/", views.request_create, name="request-create"),
    path("mine/", views.request_mine, name="request-mine"),
    path("deliveries/", views.delivery_list, name="delivery-list"),
    path("trips/", views.trip_list, name="trip-list"),
    path("trips/new/", views.trip_create, name="trip-create"),
    path("trips/<int:trip_id>/", views.trip_detail, name="trip-detail"),
    path("trips/<int:trip_id>/join/", views.trip_join, name="trip-join"),
    path("trips/<int:trip_id>/cancel/", views.trip_cancel, name="trip-cancel"),
    path("blocks/", views.block_list, name="block-list"),
    path("blocks/<int:block_id>/delete/", views.block_delete, name="block-delete"),
    path("manage/reports/", views.report_list, name="report-list"),
    path("manage/requests/<int:request_id>/hide/", views.request_hide, name="request-hide"),
    path("manage/requests/<int:request_id>/restore/", views.request_restore, name="request-restore"),
]
