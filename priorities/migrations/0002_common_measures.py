from django.db import migrations


def load(apps, schema_editor):
    from priorities.catalogue import COMMON_MEASURES

    Measure = apps.get_model("priorities", "Measure")
    for code, name, unit, direction, phase, source, low, high in COMMON_MEASURES:
        Measure.objects.update_or_create(
            code=code,
            partnership=None,
            defaults={
                "name": name,
                "unit": unit,
                "direction": direction,
                "phase": phase,
                "source": source,
                "min_value": low,
                "max_value": high,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("priorities", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
