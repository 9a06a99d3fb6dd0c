# The Invitation model moves here from the accounts app (accounts/0005), keeping its table,
# its constraints' names and every invitation already sent: only Django's state changes.
# The content type moves with it, so the activity log's entries about invitations and any
# admin permissions on them still point at the model.

import django.db.models.deletion
import django.db.models.functions.text
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


def move_content_type(from_app, to_app):
    def move(apps, schema_editor):
        ContentType = apps.get_model('contenttypes', 'ContentType')
        content_types = ContentType.objects.using(schema_editor.connection.alias)
        if content_types.filter(app_label=to_app, model='invitation').exists():
            return
        content_types.filter(app_label=from_app, model='invitation').update(app_label=to_app)

    return move


class Migration(migrations.Migration):

    dependencies = [
        ('partnerships', '0006_school_town'),
        ('accounts', '0005_invitation_moves_to_partnerships'),
        ('contenttypes', '0002_remove_content_type_name'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='Invitation',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('email', models.EmailField(max_length=254, verbose_name='email address')),
                        ('role', models.CharField(choices=[('partnership_lead', 'Partnership lead'), ('headteacher', 'Headteacher'), ('improvement_champion', 'Improvement champion'), ('peer_reviewer', 'Peer reviewer')], max_length=30, verbose_name='role')),
                        ('token_hash', models.CharField(editable=False, max_length=64, unique=True)),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                        ('sent_at', models.DateTimeField(default=django.utils.timezone.now)),
                        ('send_count', models.PositiveSmallIntegerField(default=1)),
                        ('expires_at', models.DateTimeField()),
                        ('accepted_at', models.DateTimeField(blank=True, null=True)),
                        ('revoked_at', models.DateTimeField(blank=True, null=True)),
                        ('accepted_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('invited_by', models.ForeignKey(blank=True, help_text="Empty when a site administrator invited a new partnership's first lead.", null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='invitations_sent', to=settings.AUTH_USER_MODEL)),
                        ('partnership', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='invitations', to='partnerships.partnership')),
                        ('revoked_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('school', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='invitations', to='partnerships.school')),
                    ],
                    options={
                        'db_table': 'accounts_invitation',
                        'ordering': ['-created_at'],
                        'constraints': [models.UniqueConstraint(django.db.models.functions.text.Lower('email'), models.F('partnership'), models.F('school'), models.F('role'), condition=models.Q(('accepted_at__isnull', True), ('revoked_at__isnull', True), ('school__isnull', False)), name='accounts_invitation_one_open_at_school'), models.UniqueConstraint(django.db.models.functions.text.Lower('email'), models.F('partnership'), models.F('role'), condition=models.Q(('accepted_at__isnull', True), ('revoked_at__isnull', True), ('school__isnull', True)), name='accounts_invitation_one_open_in_partnership')],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(
            move_content_type('accounts', 'partnerships'),
            move_content_type('partnerships', 'accounts'),
        ),
    ]
