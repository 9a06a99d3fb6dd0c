from django.db import migrations


def load(apps, schema_editor):
    from priorities.catalogue import ensure_common_measures

    ensure_common_measures(apps.get_model("priorities", "Measure"))


class Migration(migrations.Migration):
    dependencies = [("priorities", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
