"""Background work on a task queue (Huey), called by the web layer and the CLI, calling the
domain. See ``queue`` for the storage and the tasks."""
