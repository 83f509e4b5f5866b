"""PostgreSQL as Django ships it, with schema changes Citus accepts too (see base.py).

django-tenants' backend (the ENGINE) builds on this one through its ORIGINAL_BACKEND setting.
"""
