"""Billing's public face for feature modules: promotion slots they declare and the entries sold for them.

A module declares ``PromotionSlot(...)`` in its spec's ``provides`` and renders
``active_promotions(slot_key=...)`` where the slot sits; billing sells the slots.
"""

from billing.promotions import ActivePromotion, PromotionSlot, active_promotions, promotions_cache_key

__all__ = ["ActivePromotion", "PromotionSlot", "active_promotions", "promotions_cache_key"]
