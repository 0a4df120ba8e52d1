"""Alembic environment: runs the migrations on the engine handed over by ``upgrade``."""

from __future__ import annotations

from alembic import context

from wpb.service.tables import metadata

config = context.config
engine = config.attributes["engine"]

with engine.connect() as connection:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_as_batch=connection.dialect.name == "sqlite",
    )
    with context.begin_transaction():
        context.run_migrations()
