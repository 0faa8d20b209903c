"""Full-text search: a GIN index with the Dutch configuration (PostgreSQL), FTS5 (SQLite)."""

from django.db import migrations

PG_FORWARD = """
CREATE INDEX signals_signal_description_dutch
    ON signals_signal USING gin (to_tsvector('dutch'::regconfig, COALESCE(description, '')));
"""
PG_REVERSE = "DROP INDEX IF EXISTS signals_signal_description_dutch;"

SQLITE_FORWARD = [
    """CREATE VIRTUAL TABLE signals_signal_fts USING fts5(
        description, content='signals_signal', content_rowid='id',
        tokenize='unicode61 remove_diacritics 2')""",
    """CREATE TRIGGER signals_signal_fts_insert AFTER INSERT ON signals_signal BEGIN
        INSERT INTO signals_signal_fts(rowid, description) VALUES (new.id, new.description); END""",
    """CREATE TRIGGER signals_signal_fts_delete AFTER DELETE ON signals_signal BEGIN
        INSERT INTO signals_signal_fts(signals_signal_fts, rowid, description)
        VALUES ('delete', old.id, old.description); END""",
    """CREATE TRIGGER signals_signal_fts_update AFTER UPDATE OF description ON signals_signal BEGIN
        INSERT INTO signals_signal_fts(signals_signal_fts, rowid, description)
        VALUES ('delete', old.id, old.description);
        INSERT INTO signals_signal_fts(rowid, description) VALUES (new.id, new.description); END""",
    "INSERT INTO signals_signal_fts(rowid, description) SELECT id, description FROM signals_signal",
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS signals_signal_fts_insert",
    "DROP TRIGGER IF EXISTS signals_signal_fts_delete",
    "DROP TRIGGER IF EXISTS signals_signal_fts_update",
    "DROP TABLE IF EXISTS signals_signal_fts",
]


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(PG_FORWARD)
    elif schema_editor.connection.vendor == "sqlite":
        for statement in SQLITE_FORWARD:
            schema_editor.execute(statement)


def reverse(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(PG_REVERSE)
    elif schema_editor.connection.vendor == "sqlite":
        for statement in SQLITE_REVERSE:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("signals", "0006_signal_first_read_reminded_at_and_more")]
    operations = [migrations.RunPython(forward, reverse)]
