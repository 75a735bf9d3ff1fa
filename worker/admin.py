from django.contrib import admin

from .models import ScheduledRun, WorkerProcess


@admin.register(WorkerProcess)
class WorkerProcessAdmin(admin.ModelAdmin):
    list_display = ["worker_id", "host", "pid", "queues", "started_at", "seen_at"]
    readonly_fields = list_display


@admin.register(ScheduledRun)
class ScheduledRunAdmin(admin.ModelAdmin):
    list_display = ["job", "slot", "enqueued_at", "worker_id", "task_id"]
    list_filter = ["job"]
    readonly_fields = list_display
