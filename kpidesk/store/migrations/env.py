"""Alembic environment: migrations always run on a connection kpidesk passes in."""

from alembic import context

from kpidesk.store.tables import metadata

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run local migrations through kpidesk.store.migrations.run_upgrade")

context.configure(
    connection=connection,
    target_metadata=metadata,
    render_as_batch=True,  # SQLite alters tables by copying them
)
with context.begin_transaction():
    context.run_migrations()
