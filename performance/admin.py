"""Reference data is edited here; figures come only from imports and are shown read-only."""

from django.contrib import admin
from django.db import models, transaction

from .models import (
    Category,
    CategoryAlias,
    CrimeCount,
    DataSource,
    DataVersion,
    Force,
    ForceAlias,
    OffenceCode,
    OffenceCodeCount,
    OffenceDefinition,
    PeerGroup,
    PeerGroupMember,
    PendingImport,
    Population,
    Release,
)
from .services import pending_imports_delete


class ForceAliasInline(admin.TabularInline):
    model = ForceAlias
    extra = 1


@admin.register(Force)
class ForceAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "country", "police_uk_id"]
    list_filter = ["country"]
    search_fields = ["name", "code", "police_uk_id", "aliases__name"]
    inlines = [ForceAliasInline]


class CategoryAliasInline(admin.TabularInline):
    model = CategoryAlias
    extra = 1


class OffenceCodeInline(admin.TabularInline):
    model = OffenceCode
    extra = 0
    fields = ["code", "description"]


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "group", "position", "is_compared", "is_comparable"]
    list_filter = ["kind", "is_compared", "is_comparable"]
    list_editable = ["position", "is_compared"]
    search_fields = ["name", "slug", "aliases__name"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["components"]
    autocomplete_fields = ["group", "defined_by"]
    inlines = [CategoryAliasInline, OffenceCodeInline]


@admin.register(OffenceCode)
class OffenceCodeAdmin(admin.ModelAdmin):
    list_display = ["code", "description", "subgroup"]
    list_filter = ["subgroup__group"]
    search_fields = ["code", "description", "subgroup__name"]
    autocomplete_fields = ["subgroup"]


@admin.register(DataSource)
class DataSourceAdmin(admin.ModelAdmin):
    # Links typed without a scheme are https (Django 6's default; explicit to avoid its warning).
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = ["name", "slug", "publisher", "licence"]


class ReadOnlyAdmin(admin.ModelAdmin):
    """Figures change only through imports, which check them and record a release."""

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Release)
class ReleaseAdmin(ReadOnlyAdmin):
    list_display = ["imported_at", "source", "label", "file_name", "imported_by"]
    list_filter = ["source"]
    date_hierarchy = "imported_at"


@admin.register(CrimeCount)
class CrimeCountAdmin(ReadOnlyAdmin):
    list_display = ["force", "category", "period_start", "period_end", "count", "source"]
    list_filter = ["source", "category__kind", "force"]
    list_select_related = ["force", "category", "source"]
    search_fields = ["category__name", "force__name"]
    date_hierarchy = "period_start"


@admin.register(OffenceDefinition)
class OffenceDefinitionAdmin(ReadOnlyAdmin):
    """Which codes each subgroup held in each financial year: recorded from the Home Office
    long-format tables, so read-only (a wrong entry would silently change comparisons)."""

    list_display = ["financial_year", "code", "description", "subgroup"]
    list_filter = ["financial_year", "subgroup__group"]
    list_select_related = ["subgroup"]
    search_fields = ["code", "description", "subgroup__name"]


@admin.register(OffenceCodeCount)
class OffenceCodeCountAdmin(ReadOnlyAdmin):
    list_display = ["force", "code", "subgroup", "period_start", "period_end", "count", "source"]
    list_filter = ["source", "force"]
    list_select_related = ["force", "subgroup", "source"]
    search_fields = ["code", "subgroup__name", "force__name"]
    date_hierarchy = "period_start"


@admin.register(DataVersion)
class DataVersionAdmin(ReadOnlyAdmin):
    """The counter the performance caches are keyed on: shown, never edited by hand."""

    list_display = ["number", "changed_at"]


@admin.register(Population)
class PopulationAdmin(ReadOnlyAdmin):
    list_display = ["force", "year", "population", "vintage"]
    list_filter = ["year", "vintage"]
    list_select_related = ["force"]


class PeerGroupMemberInline(admin.TabularInline):
    model = PeerGroupMember
    fk_name = "group"
    extra = 0
    autocomplete_fields = ["force"]


@admin.register(PeerGroup)
class PeerGroupAdmin(admin.ModelAdmin):
    list_display = ["force", "valid_from", "is_computed", "source"]
    list_filter = ["is_computed", "valid_from"]
    search_fields = ["force__name", "source"]
    autocomplete_fields = ["force"]
    readonly_fields = ["method", "release"]
    inlines = [PeerGroupMemberInline]


@admin.register(PendingImport)
class PendingImportAdmin(admin.ModelAdmin):
    """Uploads waiting for their preview to be confirmed; they can only be looked at or removed
    (their stored files with them)."""

    list_display = ["file_name", "kind", "size", "created_by", "created_at"]
    readonly_fields = ["kind", "file_name", "size", "options", "created_by", "created_at"]
    exclude = ["file"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def delete_model(self, request, obj) -> None:
        with transaction.atomic():
            pending_imports_delete([obj])

    def delete_queryset(self, request, queryset) -> None:
        with transaction.atomic():
            pending_imports_delete(list(queryset))
