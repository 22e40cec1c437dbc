"""Queueing tasks from services."""

from django.db import connection, transaction


def enqueue_on_commit(task, **kwargs) -> None:
    """Queue ``task`` once the current transaction commits, in the schema that is
    current *now*: by commit time the connection may have moved back to public."""
    schema = connection.schema_name
    transaction.on_commit(
        lambda: task.apply_async(kwargs=kwargs, headers={"_schema_name": schema})
    )
