from django.urls import path

from modules.rides import views

app_name = "rides"
urlpatterns = [
    path("", views.ride_list, name="ride-list"),
    # The detail page is the first route with a parameter (the isolation suite opens it after re-enabling).
    path("<int:ride_id>/", views.ride_detail, name="ride-detail"),
    path("<int:ride_id>/book/", views.ride_book, name="ride-book"),
    path("<int:ride_id>/cancel/", views.ride_cancel, name="ride-cancel"),
    path("offer/", views.offer_create, name="offer-create"),
    path("request/", views.request_create, name="request-create"),
    path("mine/", views.ride_mine, name="ride-mine"),
    path("bookings/<int:booking_id>/", views.booking_detail, name="booking-detail"),
    path("bookings/<int:booking_id>/confirm/", views.booking_confirm, name="booking-confirm"),
    path("bookings/<int:booking_id>/decline/", views.booking_decline, name="booking-decline"),
    path("bookings/<int:booking_id>/cancel/", views.booking_cancel, name="booking-cancel"),
    path("bookings/<int:booking_id>/message/", views.booking_message, name="booking-message"),
    path("bookings/<int:booking_id>/thanks/", views.booking_thank, name="booking-thank"),
    path("bookings/<int:booking_id>/ride.ics", views.booking_ical, name="booking-ical"),
    path("searches/", views.search_create, name="search-create"),
    path("searches/<int:search_id>/delete/", views.search_delete, name="search-delete"),
    path("bank/", views.bench_list, name="bench-list"),
    path("bank/<int:stop_id>/", views.bench_detail, name="bench"),
    path("bank/<int:stop_id>/sign/", views.bench_sign, name="bench-sign"),
    path("bank/<int:stop_id>/watch/", views.bench_watch, name="bench-watch"),
    path("bank/r/<str:token>/", views.bench_request_page, name="bench-request"),
    path("bank/r/<str:token>/cancel/", views.bench_request_cancel, name="bench-request-cancel"),
    path("bank/requests/<int:request_id>/come/", views.bench_come, name="bench-come"),
    path("stops/", views.stop_list, name="stop-list"),
    path("stops/<int:stop_id>/", views.stop_detail, name="stop"),
    path("manage/lines/", views.line_manage, name="line-manage"),
    path("manage/lines/<int:line_id>/delete/", views.line_delete, name="line-delete"),
    path("manage/lines/<int:line_id>/bookings/", views.line_bookings, name="line-bookings"),
    path("manage/lines/<int:line_id>/settings/", views.line_settings, name="line-settings"),
    path("bus/book/", views.bus_book, name="bus-book"),
    path("bus/bookings/<int:booking_id>/cancel/", views.bus_booking_cancel, name="bus-booking-cancel"),
    path("manage/feed/", views.feed_manage, name="feed-manage"),
    path("manage/stops/", views.stop_manage, name="stop-manage"),
    path("manage/phone/", views.bench_phone, name="bench-phone"),
]
