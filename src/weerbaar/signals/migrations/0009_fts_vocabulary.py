"""SQLite: a vocabulary view on the FTS5 index, so search can see how common a word is."""

from django.db import migrations


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(
            "CREATE VIRTUAL TABLE signals_signal_fts_vocab USING fts5vocab(signals_signal_fts, 'row')"
        )


def reverse(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute("DROP TABLE IF EXISTS signals_signal_fts_vocab")


class Migration(migrations.Migration):
    dependencies = [("signals", "0008_attachments")]
    operations = [migrations.RunPython(forward, reverse)]
