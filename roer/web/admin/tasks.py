"""Background tasks in the admin: for platform administrators only (their arguments name scans and
mailings of every organisation), with a way to run a failed task again."""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import Model, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django_tasks import TaskResultStatus
from django_tasks_db.admin import DBTaskResultAdmin
from django_tasks_db.models import DBTaskResult, get_date_max

from roer.lifecycle.models import ScheduleSlot, WorkerHeartbeat
from roer.web.admin.scoping import is_superuser

admin.site.unregister(DBTaskResult)


class SuperuserOnly:
    def has_module_permission(self, request: HttpRequest) -> bool:
        return is_superuser(request)

    def has_view_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return self.has_module_permission(request)


@admin.register(DBTaskResult)
class TaskResultAdmin(SuperuserOnly, DBTaskResultAdmin):
    actions = ["run_again"]

    @admin.action(description=_("Run the selected failed tasks again"))
    def run_again(self, request: HttpRequest, queryset: QuerySet[DBTaskResult]) -> None:  # type: ignore[type-arg]
        count = queryset.filter(status=TaskResultStatus.FAILED).update(
            status=TaskResultStatus.READY, run_after=get_date_max(), finished_at=None, worker_ids=[]
        )
        self.message_user(request, _("%(count)d task(s) queued again.") % {"count": count}, messages.SUCCESS)


@admin.register(WorkerHeartbeat)
class WorkerHeartbeatAdmin(SuperuserOnly, admin.ModelAdmin[WorkerHeartbeat]):
    list_display = ["hostname", "pid", "started_at", "seen_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


@admin.register(ScheduleSlot)
class ScheduleSlotAdmin(SuperuserOnly, admin.ModelAdmin[ScheduleSlot]):
    list_display = ["job", "due_at", "enqueued_at"]
    list_filter = ["job"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False
