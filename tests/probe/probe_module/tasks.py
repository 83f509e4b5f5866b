from celery import shared_task

from core.tasks import module_task_should_run


@shared_task(name="probe.tidy")
def tidy() -> int:
    """Remove hidden notes (a periodic task, fanned out per town)."""
    if not module_task_should_run("probe"):
        return 0
    from tests.probe.probe_module.models import Note

    deleted, _by_model = Note.objects.filter(is_hidden=True).delete()
    return deleted
