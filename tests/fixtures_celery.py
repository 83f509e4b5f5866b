"""A real Celery worker for tests where a task matters (filled in with the signup work)."""
