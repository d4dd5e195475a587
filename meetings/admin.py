from django.contrib import admin

from .models import AgendaItem, Attendance, AuditEvent, Decision, Meeting, Person


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["name", "initials", "usual_role", "user"]
    search_fields = ["name", "initials", "usual_role", "email"]
    autocomplete_fields = ["user"]


class AttendanceInline(admin.TabularInline):
    model = Attendance
    fk_name = "meeting"
    extra = 0
    autocomplete_fields = ["person", "on_behalf_of"]


class AgendaItemInline(admin.StackedInline):
    model = AgendaItem
    extra = 0
    fields = ["position", "title", "is_restricted", "exemption"]
    show_change_link = True


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ["title", "start", "venue", "status"]
    list_filter = ["status", "title"]
    search_fields = ["title", "venue"]
    date_hierarchy = "start"
    inlines = [AttendanceInline, AgendaItemInline]


@admin.register(Attendance)
class AttendanceAdmin(admin.ModelAdmin):
    list_display = ["person", "meeting", "kind", "role", "is_chair", "is_note_taker", "position"]
    list_filter = ["kind"]
    search_fields = ["person__name", "role"]
    autocomplete_fields = ["person", "on_behalf_of", "meeting"]


class DecisionInline(admin.StackedInline):
    model = Decision
    extra = 0


@admin.register(AgendaItem)
class AgendaItemAdmin(admin.ModelAdmin):
    list_display = ["title", "meeting", "position", "is_restricted"]
    list_filter = ["is_restricted"]
    search_fields = ["title", "narrative"]
    autocomplete_fields = ["meeting"]
    inlines = [DecisionInline]


@admin.register(Decision)
class DecisionAdmin(admin.ModelAdmin):
    list_display = ["__str__", "item", "notice_reference"]
    search_fields = ["text", "notice_reference"]
    autocomplete_fields = ["item"]


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """The audit trail is written by services only: read-only here."""

    list_display = ["created_at", "verb", "actor", "meeting", "summary"]
    list_filter = ["verb"]
    search_fields = ["summary"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
