from django.contrib import admin
from django.http import HttpRequest

from roer.instruments.models import Instrument, InstrumentVersion


class ReadOnlyVersionInline(admin.TabularInline[InstrumentVersion, Instrument]):
    model = InstrumentVersion
    fields = ("number", "content_hash", "source_name", "loaded_at")
    readonly_fields = ("number", "content_hash", "source_name", "loaded_at")
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request: HttpRequest, obj: Instrument | None = None) -> bool:
        return False


@admin.register(Instrument)
class InstrumentAdmin(admin.ModelAdmin[Instrument]):
    """Instruments come from their files (`manage.py load_instrument`), never from a form here."""

    list_display = ["code", "__str__"]
    inlines = [ReadOnlyVersionInline]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(InstrumentVersion)
class InstrumentVersionAdmin(admin.ModelAdmin[InstrumentVersion]):
    """Versions are immutable: they are loaded with `manage.py load_instrument`, never edited here."""

    list_display = ["instrument", "number", "content_hash", "loaded_at"]
    readonly_fields = ["instrument", "number", "content_hash", "source_name", "source_text", "definition", "loaded_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: InstrumentVersion | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: InstrumentVersion | None = None) -> bool:
        # A version is never removed: responses, figures and caches refer to it for good.
        return False
