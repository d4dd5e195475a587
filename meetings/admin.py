from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group
from django.db import models

from . import roles
from .models import (
    Action,
    ActionOwner,
    ActionPlan,
    ActionReminder,
    ActionUpdate,
    AgendaItem,
    Aim,
    Attendance,
    AuditEvent,
    Body,
    Decision,
    ExceptionReport,
    FrozenComparison,
    FrozenReds,
    Meeting,
    NarrativeDraft,
    NoteContent,
    NoteSnapshot,
    NotesVersion,
    NoteTransition,
    NotificationOptOut,
    Person,
)


def _meeting_of(obj) -> Meeting | None:
    if obj is None:
        return None
    if isinstance(obj, Meeting):
        return obj
    if isinstance(obj, NoteContent):
        return Meeting.objects.filter(pk=obj._meeting_id()).first()
    return None


class ReadOnlyAdmin:
    """Shown in the admin, never added, changed or deleted there."""

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class FrozenNoteAdmin:
    """A signed note and everything in it is read-only in the admin too.

    The models refuse such changes whatever the path; this keeps the admin from offering them.
    Sign-off itself happens through the portal's pages, never by editing fields here.
    """

    def _is_frozen(self, obj) -> bool:
        # Submitted notes too: what the signatory is reading must not change under them.
        meeting = _meeting_of(obj)
        return meeting is not None and not meeting.is_editable

    def has_change_permission(self, request, obj=None) -> bool:
        if self._is_frozen(obj):
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        if self._is_frozen(obj):
            return False
        return super().has_delete_permission(request, obj)

    def has_add_permission(self, request, obj=None) -> bool:
        if self._is_frozen(obj):
            return False
        if isinstance(self, admin.ModelAdmin):
            return super().has_add_permission(request)
        return super().has_add_permission(request, obj)

    # Links typed without a scheme are https (Django 6's default; explicit to avoid its warning).
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


@admin.register(Body)
class BodyAdmin(admin.ModelAdmin):
    """Bodies are also managed on the portal's own pages (Bodies), which check names and the
    usual attendance the same way."""

    list_display = ["name", "document_name", "numbering", "attendee_order", "show_initials"]
    search_fields = ["name", "description"]

    def has_delete_permission(self, request, obj=None) -> bool:
        # A body with meetings keeps them (the database refuses too).
        if obj is not None and obj.meetings.exists():
            return False
        return super().has_delete_permission(request, obj)


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["name", "initials", "usual_role", "user"]
    search_fields = ["name", "initials", "usual_role", "email"]
    autocomplete_fields = ["user"]

    # What is printed under a signature, and which account a person is, decide whose name a
    # signed note carries: only a superuser changes them here; the signatory corrects their own
    # at signing, with a recorded reason.
    SIGNATURE_FIELDS = ("user", "signs_as", "signing_title")

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            readonly += [name for name in self.SIGNATURE_FIELDS if name not in readonly]
        return readonly


class AttendanceInline(FrozenNoteAdmin, admin.TabularInline):
    model = Attendance
    fk_name = "meeting"
    extra = 0
    autocomplete_fields = ["person", "on_behalf_of"]


class AgendaItemInline(FrozenNoteAdmin, admin.StackedInline):
    model = AgendaItem
    fk_name = "meeting"
    extra = 0
    fields = ["position", "title", "is_restricted", "exemption"]
    show_change_link = True


@admin.register(Meeting)
class MeetingAdmin(FrozenNoteAdmin, admin.ModelAdmin):
    list_display = ["title", "body", "start", "venue", "status"]
    autocomplete_fields = ["body"]
    readonly_fields = [
        "status",
        "printed_style",
        "signatory_name",
        "signatory_title",
        "signed_by",
        "signed_at",
        "published_at",
        "pdf",
        "pdf_sha256",
        "pdf_digitally_signed",
        "revises",
    ]
    list_filter = ["status", "body"]
    search_fields = ["title", "venue"]
    date_hierarchy = "start"
    inlines = [AttendanceInline, AgendaItemInline]


@admin.register(Attendance)
class AttendanceAdmin(FrozenNoteAdmin, admin.ModelAdmin):
    list_display = ["person", "meeting", "kind", "role", "is_chair", "is_note_taker", "position"]
    list_filter = ["kind"]
    search_fields = ["person__name", "role"]
    autocomplete_fields = ["person", "on_behalf_of", "meeting"]


class DecisionInline(FrozenNoteAdmin, admin.StackedInline):
    model = Decision
    extra = 0


@admin.register(AgendaItem)
class AgendaItemAdmin(FrozenNoteAdmin, admin.ModelAdmin):
    list_display = ["title", "meeting", "position", "is_restricted"]
    list_filter = ["is_restricted"]
    search_fields = ["title", "narrative"]
    autocomplete_fields = ["meeting"]
    inlines = [DecisionInline]


@admin.register(Decision)
class DecisionAdmin(FrozenNoteAdmin, admin.ModelAdmin):
    list_display = ["__str__", "item", "notice_reference"]
    search_fields = ["text", "notice_reference"]
    autocomplete_fields = ["item"]


@admin.register(NotificationOptOut)
class NotificationOptOutAdmin(ReadOnlyAdmin, admin.ModelAdmin):
    """Each person chooses their emails on their own preferences page: read-only here."""

    list_display = ["user", "kind"]
    list_filter = ["kind"]


@admin.register(ActionReminder)
class ActionReminderAdmin(ReadOnlyAdmin, admin.ModelAdmin):
    """What the daily reminders sent, recorded by ``send_reminders``: read-only here."""

    list_display = ["sent_on", "action", "person", "email", "overdue"]
    list_filter = ["sent_on", "overdue"]


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin, admin.ModelAdmin):
    """The audit trail is written by services only: read-only here."""

    list_display = ["created_at", "verb", "actor", "meeting", "summary"]
    list_filter = ["verb"]
    search_fields = ["summary"]


@admin.register(NoteSnapshot)
class NoteSnapshotAdmin(admin.ModelAdmin):
    """What the signatory was shown, kept by sign-off under its fingerprint: read-only here."""

    list_display = ["shown_at", "meeting", "sha256"]
    readonly_fields = ["meeting", "sha256", "content", "shown_at"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(NoteTransition)
class NoteTransitionAdmin(ReadOnlyAdmin, admin.ModelAdmin):
    """Sign-off steps are written by the workflow only: read-only here."""

    list_display = ["created_at", "meeting", "from_status", "to_status", "actor"]
    list_filter = ["to_status"]


@admin.register(FrozenComparison)
class FrozenComparisonAdmin(FrozenNoteAdmin, admin.ModelAdmin):
    """Frozen by the portal's Performance tab; read-only here so no figure is edited by hand."""

    list_display = ["meeting", "period", "requested_period", "force_code", "frozen_at"]
    readonly_fields = [
        "meeting",
        "requested_period",
        "period",
        "force_code",
        "data",
        "red_slugs",
        "frozen_at",
        "frozen_by",
    ]

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(FrozenReds)
class FrozenRedsAdmin(ReadOnlyAdmin, admin.ModelAdmin):
    """Written with its frozen comparison and read by the history of reds: read-only here."""

    list_display = ["meeting", "comparison", "slugs"]


@admin.register(NotesVersion)
class NotesVersionAdmin(ReadOnlyAdmin, admin.ModelAdmin):
    """The token the staff pages keep what they render of notes under: shown, never edited."""

    list_display = ["token"]


class ActionPlanInline(FrozenNoteAdmin, admin.StackedInline):
    model = ActionPlan
    extra = 0
    show_change_link = True


@admin.register(ExceptionReport)
class ExceptionReportAdmin(FrozenNoteAdmin, admin.ModelAdmin):
    list_display = ["category_name", "meeting", "status", "is_red", "conclusion"]
    list_filter = ["status", "conclusion", "is_red"]
    search_fields = ["category_name", "concern", "explanation"]
    autocomplete_fields = ["meeting", "item"]
    readonly_fields = ["figures", "concluded_by", "concluded_at"]
    inlines = [ActionPlanInline]


class AimInline(FrozenNoteAdmin, admin.TabularInline):
    model = Aim
    extra = 0


@admin.register(ActionPlan)
class ActionPlanAdmin(FrozenNoteAdmin, admin.ModelAdmin):
    list_display = ["name", "report", "owner"]
    search_fields = ["name", "summary"]
    autocomplete_fields = ["report"]
    inlines = [AimInline]


@admin.register(Aim)
class AimAdmin(FrozenNoteAdmin, admin.ModelAdmin):
    list_display = ["__str__", "plan", "position"]
    search_fields = ["text"]
    autocomplete_fields = ["plan"]


class ActionUpdateInline(FrozenNoteAdmin, admin.TabularInline):
    model = ActionUpdate
    fk_name = "action"
    extra = 0
    autocomplete_fields = ["meeting"]


class ActionOwnerInline(FrozenNoteAdmin, admin.TabularInline):
    model = ActionOwner
    extra = 0
    autocomplete_fields = ["person"]


@admin.register(Action)
class ActionAdmin(FrozenNoteAdmin, admin.ModelAdmin):
    list_display = ["number", "body", "description", "raised_at", "status", "due", "closed_on"]
    list_filter = ["status", "body"]
    search_fields = ["description"]
    autocomplete_fields = ["body", "raised_at", "item", "lead", "closed_at"]
    inlines = [ActionOwnerInline, ActionUpdateInline]


@admin.register(ActionUpdate)
class ActionUpdateAdmin(FrozenNoteAdmin, admin.ModelAdmin):
    list_display = ["action", "meeting", "status", "recorded_on"]
    autocomplete_fields = ["action", "meeting"]


@admin.register(NarrativeDraft)
class NarrativeDraftAdmin(admin.ModelAdmin):
    """Unsaved text kept by autosave; for support only."""

    list_display = ["item", "author", "saved_at"]
    readonly_fields = [
        "item",
        "author",
        "title",
        "narrative",
        "assurance_statement",
        "base_version",
        "saved_at",
    ]

    def has_add_permission(self, request) -> bool:
        return False


# Accounts and roles -------------------------------------------------------------------------


class PortalUserAdmin(UserAdmin):
    """Roles are granted and revoked on the portal's Users page, by the rules of
    ``meetings/services/users.py``, each an audit event: here they are shown, never edited.

    Only a superuser changes the staff and superuser flags or activity here, and anyone else
    may change only their own account and the accounts those rules let them manage (so an
    Administrator cannot reset a Signatory's or a superuser's password and sign in as them).
    """

    list_display = ["username", "first_name", "last_name", "email", "roles_held", "is_active"]
    list_filter = ["is_active", "is_superuser", "groups"]
    _ROLE_FIELDS = ("groups", "user_permissions")
    _SUPERUSER_FIELDS = ("is_superuser", "is_staff", "is_active")

    @admin.display(description="roles")
    def roles_held(self, user) -> str:
        held = {group.name for group in user.groups.all()}
        return ", ".join(role for role in roles.ALL if role in held) or "–"

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("groups")

    def get_readonly_fields(self, request, obj=None):
        fields = [*super().get_readonly_fields(request, obj), *self._ROLE_FIELDS]
        if not request.user.is_superuser:
            fields += self._SUPERUSER_FIELDS
        return fields

    def _may_change(self, request, obj) -> bool:
        from .services.users import may_manage

        return (
            obj is None
            or request.user.is_superuser
            or obj.pk == request.user.pk
            or may_manage(request.user, obj)
        )

    def has_change_permission(self, request, obj=None) -> bool:
        return super().has_change_permission(request, obj) and self._may_change(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        return super().has_delete_permission(request, obj) and (
            obj is None or request.user.is_superuser
        )


class PortalGroupAdmin(ReadOnlyAdmin, GroupAdmin):
    """The roles' groups hold what ``meetings/roles.py`` says (synced after every migrate):
    read-only here, for everyone."""


admin.site.unregister(get_user_model())
admin.site.register(get_user_model(), PortalUserAdmin)
admin.site.unregister(Group)
admin.site.register(Group, PortalGroupAdmin)
