"""Start a new partnership and invite its first lead: how a site administrator sets one up."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.text import slugify

from partnerships.invitations import invitation_create
from partnerships.models import Partnership, Role
from partnerships.services import partnership_upsert


class Command(BaseCommand):
    help = "Create a partnership and email its first partnership lead an invitation."

    def add_arguments(self, parser):
        parser.add_argument("name", help="The partnership's name.")
        parser.add_argument("--lead", required=True, metavar="EMAIL", help="The first lead.")
        parser.add_argument("--slug", help="Short name for web addresses (from the name).")

    def handle(self, *args, name, lead, slug=None, **options):
        slug = slug or slugify(name)
        if not slug:
            raise CommandError("Give the partnership a name with letters or numbers in it.")
        if Partnership.objects.filter(slug=slug).exists():
            raise CommandError(f"A partnership with the short name '{slug}' already exists.")
        try:
            with transaction.atomic():
                partnership = partnership_upsert(slug=slug, name=name.strip())
                invitation_create(
                    actor=None, email=lead, partnership=partnership, role=Role.PARTNERSHIP_LEAD
                )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        self.stdout.write(
            self.style.SUCCESS(
                f"Created {partnership.name} (/p/{partnership.slug}/) and invited {lead} "
                "to lead it."
            )
        )
