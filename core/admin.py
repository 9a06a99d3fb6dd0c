"""The outbox in the Django admin: the site administrator sees every email and what became of it."""

from django.contrib import admin, messages
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import audit, outbox
from .models import OutgoingEmail


@admin.register(OutgoingEmail)
class OutgoingEmailAdmin(admin.ModelAdmin):
    list_display = ["created_at", "recipients", "subject", "status", "attempts", "sent_at"]
    list_filter = ["status", "partnership"]
    search_fields = ["recipients", "subject"]
    date_hierarchy = "created_at"
    # The message itself (sign-in codes, invitation links) is never shown.
    fields = [
        "created_at",
        "recipients",
        "subject",
        "partnership",
        "status",
        "attempts",
        "next_attempt_at",
        "claimed_until",
        "last_error",
        "sent_at",
    ]
    readonly_fields = fields
    actions = ["send_again"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Send the selected failed emails again"))
    def send_again(self, request, queryset):
        count = 0
        with transaction.atomic():
            for email in queryset.filter(status=OutgoingEmail.Status.FAILED).select_for_update():
                outbox.requeue(email)
                audit.record(
                    actor=request.user,
                    verb="email.retried",
                    target=email,
                    partnership=email.partnership,
                    details={"to": email.recipients, "subject": email.subject},
                )
                count += 1
        self.message_user(
            request,
            ngettext(
                "%(count)d email will be sent again.",
                "%(count)d emails will be sent again.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )
