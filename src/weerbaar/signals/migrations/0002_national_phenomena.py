"""Load the national phenomenon taxonomy on a fresh installation."""

from django.db import migrations


def load(apps, schema_editor):
    from weerbaar.signals.taxonomy import PHENOMENA

    Phenomenon = apps.get_model("signals", "Phenomenon")
    for order, (code, name, guidance) in enumerate(PHENOMENA, start=1):
        Phenomenon.objects.get_or_create(
            code=code, municipality=None, defaults={"name": name, "guidance": guidance, "order": order * 10}
        )


class Migration(migrations.Migration):
    dependencies = [("signals", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
