from django.contrib import admin

from moderation.models import Report


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    list_display = ["created_at", "content_type", "content", "reason", "reporter", "handled_at"]
    list_filter = ["reason", "content_type", ("handled_at", admin.EmptyFieldListFilter)]
    list_select_related = ["content_type", "reporter"]
    readonly_fields = ["content_type", "object_id", "reporter", "reason", "comment", "created_at"]
