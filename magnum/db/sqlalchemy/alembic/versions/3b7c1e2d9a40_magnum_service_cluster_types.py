"""magnum_service.cluster_types: what each conductor's enabled drivers serve.

Revision ID: 3b7c1e2d9a40
Revises: afd742766907
Create Date: 2026-12-04 22:40:00

Conductors publish their drivers' declarations (cluster types, network and
volume drivers, upgrade support) here at start-up; the API checks templates
against them without loading driver code.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "3b7c1e2d9a40"
down_revision: str | None = "afd742766907"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("magnum_service", sa.Column("cluster_types", sa.Text(), nullable=True))
