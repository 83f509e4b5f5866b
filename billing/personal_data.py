"""Billing of sponsorships and the town's plan (core.personal_data).

Billing keeps no rows about residents: its customers are organisations (a business paying
for a sponsorship, a town paying its plan), and no billing row points at a person. The one
place a person can appear is the invoice contact that an organisation's manager typed in,
which is often their own name and e-mail address; those customers of the current town
are exported when their e-mail address is the person's.

- billing.StripeCustomer (this town, same e-mail)
  export: invoice name, e-mail, address, VAT id
  erase: **kept**
- billing.Invoice of those customers
  export: number, date, amount, status
  erase: **kept**

- billing.SponsorshipRequest this person sent ("Ask the town hall")
  export: business, date, message, status
  erase: the person's id and the message are removed; the request stays as the business's (answered or not)

Kept, because invoices and the records they rest on must be kept for ten years
(§ 147 AO, § 257 HGB; GDPR Art. 17(3)(b)), and they belong to the organisation, whose
manager changes the contact in the back office. Billing rows live in the public schema:
everything here is filtered to the current town, so one town's request never reaches
another town's rows.
"""

from __future__ import annotations

from typing import Any

from billing.models import Invoice, SponsorshipRequest, StripeCustomer
from core.tenancy import current_town


def export(user: Any) -> dict[str, Any]:
    customers = list(StripeCustomer.objects.filter(tenant_id=current_town().pk, email__iexact=user.email)
                     .order_by("pk"))
    return {
        "invoice_contacts": [
            {"name": customer.name, "email": customer.email, "address_line": customer.address_line,
             "postal_code": customer.postal_code, "city": customer.city, "vat_id": customer.vat_id,
             "created_at": customer.created_at}
            for customer in customers
        ],
        "invoices": list(
            Invoice.objects.filter(customer__in=customers)
            .order_by("pk")
            .values("number", "status", "total_cents", "currency", "issued_at", "paid_at")
        ),
        "sponsorship_requests": list(
            SponsorshipRequest.objects.filter(tenant_id=current_town().pk, user_id=user.pk)
            .order_by("pk").values("organisation_name", "created_at", "message", "status")
        ),
    }


def erase(user: Any) -> None:
    """A request a person sent stays the business's; who sent it and what they wrote go."""
    SponsorshipRequest.objects.filter(tenant_id=current_town().pk, user_id=user.pk).update(user_id=None, message="")
