"""The base class of every Dorfkern task."""

from __future__ import annotations

import logging
from typing import Any

from django.db import connection
from tenant_schemas_celery.app import get_schema_name_from_task
from tenant_schemas_celery.task import TenantTask

logger = logging.getLogger(__name__)


class TownTask(TenantTask):
    """A task that runs in the town (schema) that sent it, or not at all.

    tenant-schemas-celery switches the schema in a task_prerun signal, and
    Celery only logs a signal handler's error: for a town deleted since the
    task was queued the switch fails and the task would run in the public
    schema. Here it is skipped instead (ISOLATION T8).
    """

    abstract = True

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        wanted = get_schema_name_from_task(self, kwargs)
        if wanted and wanted != connection.schema_name:
            logger.warning("skipped %s: town schema %s no longer exists", self.name, wanted)
            return None
        return super().__call__(*args, **kwargs)
