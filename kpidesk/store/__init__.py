"""The rep's local database: engine, tables, migrations, queries and the sync outbox."""
