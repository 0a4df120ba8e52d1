"""The one declarative base of the service: every component's tables share its metadata,
and one Alembic history (wpb/service/migrations) creates them all.

Municipalities and providers appear in the tables by their codes (gemeentecode, AGB code),
not as foreign keys to organisations: a transfer may name a municipality that has no
account on this service yet. Tenancy compares the acting organisation's code with them.
A test checks that the migrated schema and the models agree.
"""

from __future__ import annotations

from sqlalchemy.orm import DeclarativeBase


class Base(DeclarativeBase):
    pass


