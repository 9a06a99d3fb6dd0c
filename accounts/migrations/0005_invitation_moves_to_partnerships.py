# The Invitation model moves to the partnerships app (partnerships/0007_invitation), which
# takes over its table as it is: here it leaves the accounts app's state only, and nothing in
# the database changes.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0004_alter_invitation_role'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(
                    name='Invitation',
                ),
            ],
            database_operations=[],
        ),
    ]
