"""index of first arrivals: a forum's first entries (registration, time), partial

The dashboard and the live board count who came and when from this index alone, not from
every scan (issue 19: 50,000 registrations).

Revision ID: a7c3e9f1d2b4
Revises: e5b7d2a4c918
Create Date: 2026-12-02 07:20:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'a7c3e9f1d2b4'
down_revision = 'e5b7d2a4c918'
branch_labels = None
depends_on = None

FIRST_ENTRY = "reason = 'first' AND undone_at IS NULL"


def upgrade():
    # A plain CREATE INDEX (no batch: SQLite makes an index without copying the table).
    op.create_index('ix_checkin_first_arrival', 'checkin', ['forum_id', 'registration_id', 'created_at'],
                    unique=False, sqlite_where=sa.text(FIRST_ENTRY), postgresql_where=sa.text(FIRST_ENTRY))


def downgrade():
    op.drop_index('ix_checkin_first_arrival', table_name='checkin')
