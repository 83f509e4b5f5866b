"""Billing pages on a town's host: price list, purchase, the sponsor's plans, the town's settings and ledger.

No URL carries an object id (ids travel in POST bodies and are checked against the user's businesses).
"""

from django.urls import path

import billing.views_town as views

app_name = "billing"

urlpatterns = [
    path("sponsoring/", views.price_list, name="price-list"),
    path("sponsoring/anfragen/", views.sponsorship_ask, name="ask"),
    path("sponsoring/kaufen/", views.purchase, name="purchase"),
    path("sponsoring/kaufen/bestaetigen/", views.purchase_confirm, name="purchase-confirm"),
    path("sponsoring/meine/", views.my_sponsorships, name="mine"),
    path("sponsoring/meine/kuendigen/", views.my_cancel, name="mine-cancel"),
    path("sponsoring/meine/bezahlen/", views.my_pay, name="mine-pay"),
    path("sponsoring/meine/zahlungsmittel/", views.my_payment_method, name="mine-payment-method"),
    path("sponsoring/verein/", views.club_income, name="club-income"),
    path("backoffice/sponsoring/", views.backoffice_settings, name="backoffice-settings"),
    path("backoffice/sponsoring/anfragen/", views.backoffice_requests, name="backoffice-requests"),
    path("backoffice/sponsoring/einnahmen/", views.backoffice_ledger, name="backoffice-ledger"),
    path("backoffice/sponsoring/plan/", views.backoffice_plan, name="backoffice-plan"),
    path("backoffice/sponsoring/plan/bestaetigen/", views.backoffice_plan_confirm, name="backoffice-plan-confirm"),
]
