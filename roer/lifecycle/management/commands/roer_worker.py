from typing import Any

from django_tasks_db.management.commands import db_worker

from roer.lifecycle.worker import Housekeeper


class Command(db_worker.Command):
    help = (
        "Run a background worker: django-tasks-db's worker, plus the heartbeat, the schedule and the retries of "
        "failed or abandoned tasks. Run one or more on any machine that reaches the database."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        options["reload"] = False  # a reloading worker would stop tasks halfway
        housekeeper = Housekeeper(options["worker_id"], sweeping=not options["batch"])
        housekeeper.start()
        try:
            super().handle(*args, **options)
        finally:
            housekeeper.stop()
