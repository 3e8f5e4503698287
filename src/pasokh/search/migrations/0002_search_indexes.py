"""The full-text machinery the ORM cannot declare, for whichever database is in use.

SQLite: an FTS5 external-content table over search_key and phones, kept in step by triggers
(so bulk_create and raw updates are indexed too). PostgreSQL: pg_trgm, a GIN index on
to_tsvector('simple', search_key), and trigram indexes for similarity and phone prefixes.
"""

from django.db import migrations

SQLITE_FORWARD = [
    "CREATE VIRTUAL TABLE search_document_fts USING fts5("
    "search_key, phones, content='search_searchdocument', content_rowid='id', "
    "tokenize='unicode61 remove_diacritics 2')",
    "CREATE TRIGGER search_document_ai AFTER INSERT ON search_searchdocument BEGIN "
    "INSERT INTO search_document_fts(rowid, search_key, phones) "
    "VALUES (new.id, new.search_key, new.phones); END",
    "CREATE TRIGGER search_document_ad AFTER DELETE ON search_searchdocument BEGIN "
    "INSERT INTO search_document_fts(search_document_fts, rowid, search_key, phones) "
    "VALUES ('delete', old.id, old.search_key, old.phones); END",
    "CREATE TRIGGER search_document_au AFTER UPDATE ON search_searchdocument BEGIN "
    "INSERT INTO search_document_fts(search_document_fts, rowid, search_key, phones) "
    "VALUES ('delete', old.id, old.search_key, old.phones); "
    "INSERT INTO search_document_fts(rowid, search_key, phones) "
    "VALUES (new.id, new.search_key, new.phones); END",
    "INSERT INTO search_document_fts(search_document_fts) VALUES ('rebuild')",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS search_document_au",
    "DROP TRIGGER IF EXISTS search_document_ad",
    "DROP TRIGGER IF EXISTS search_document_ai",
    "DROP TABLE IF EXISTS search_document_fts",
]
POSTGRES_FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS search_document_tsv ON search_searchdocument "
    "USING gin (to_tsvector('simple', search_key))",
    "CREATE INDEX IF NOT EXISTS search_document_trgm ON search_searchdocument "
    "USING gin (search_key gin_trgm_ops)",
    "CREATE INDEX IF NOT EXISTS search_document_phones ON search_searchdocument "
    "USING gin ((' ' || phones) gin_trgm_ops)",
]
POSTGRES_BACKWARD = [
    "DROP INDEX IF EXISTS search_document_phones",
    "DROP INDEX IF EXISTS search_document_trgm",
    "DROP INDEX IF EXISTS search_document_tsv",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD}),
            _run({"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRES_BACKWARD}),
        )
    ]
