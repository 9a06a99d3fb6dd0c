from django.contrib import admin

from .models import (
    AgreementSignature,
    AgreementVersion,
    Membership,
    MembershipRequest,
    Partnership,
    RoleAssignment,
    School,
)


class ReadOnlyAdminMixin:
    """Membership, roles and the agreement change through Cairn's pages, whose services check
    the rules (the last lead stays), withdraw what must be withdrawn and write the activity
    log. The admin shows them."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(School)
class SchoolAdmin(admin.ModelAdmin):
    list_display = ["name", "urn", "phase", "local_authority", "status"]
    list_filter = ["status", "phase"]
    search_fields = ["name", "urn", "laestab", "postcode"]
    raw_id_fields = ["predecessor"]


class MembershipInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = Membership
    raw_id_fields = ["school"]
    extra = 0


@admin.register(Partnership)
class PartnershipAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "created_at"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [MembershipInline]


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["user", "role", "partnership", "school", "granted_at", "revoked_at"]
    list_filter = ["role", "partnership"]
    search_fields = ["user__email", "user__name", "school__name"]
    list_select_related = ["user", "partnership", "school"]


@admin.register(AgreementVersion)
class AgreementVersionAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["partnership", "number", "published_at", "published_by"]
    list_select_related = ["partnership", "published_by"]


@admin.register(AgreementSignature)
class AgreementSignatureAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["school", "version", "signed_by", "signed_at"]
    list_select_related = ["school", "version__partnership", "signed_by"]


@admin.register(MembershipRequest)
class MembershipRequestAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["school", "partnership", "status", "requested_at", "decided_by", "decided_at"]
    list_filter = ["status"]
    search_fields = ["school__name", "school__urn", "partnership__name"]
    list_select_related = ["school", "partnership", "decided_by"]
