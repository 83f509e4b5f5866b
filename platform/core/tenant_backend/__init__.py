"""The database ENGINE: django-tenants' backend, without a `SET search_path` when the path is already set."""
