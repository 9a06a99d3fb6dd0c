from django.contrib import admin

from .models import Membership, Partnership, RoleAssignment, School


@admin.register(School)
class SchoolAdmin(admin.ModelAdmin):
    list_display = ["name", "urn", "phase", "local_authority", "status"]
    list_filter = ["status", "phase"]
    search_fields = ["name", "urn", "laestab", "postcode"]
    raw_id_fields = ["predecessor"]


class MembershipInline(admin.TabularInline):
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
class RoleAssignmentAdmin(admin.ModelAdmin):
    list_display = ["user", "role", "partnership", "school", "granted_at", "revoked_at"]
    list_filter = ["role", "partnership"]
    search_fields = ["user__email", "user__name", "school__name"]
    raw_id_fields = ["user", "school", "granted_by"]
    list_select_related = ["user", "partnership", "school"]
