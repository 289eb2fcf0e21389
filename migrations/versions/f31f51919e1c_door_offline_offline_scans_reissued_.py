"""door offline: offline scans, reissued badges' code and who

Check-ins remember what the phone answered offline and when an offline scan reached the
server, and which replaced badge was scanned; a replaced badge keeps the hash of its short
code and who reissued it.

Revision ID: f31f51919e1c
Revises: a925983e59ed
Create Date: 2026-12-01 22:57:35.406386

"""
from alembic import op
import sqlalchemy as sa

import forum.db


# revision identifiers, used by Alembic.
revision = 'f31f51919e1c'
down_revision = 'a925983e59ed'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('checkin', schema=None) as batch_op:
        batch_op.add_column(sa.Column('answered', sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column('uploaded_at', forum.db.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('retired_badge_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_checkin_retired_badge_id_retired_badge'), 'retired_badge', ['retired_badge_id'], ['id'], ondelete='SET NULL')
        batch_op.create_check_constraint(
            'answered_allowed', "answered IN ('ok', 'already_checked_in', 'unknown', 'not_allowed', 'cancelled')")

    with op.batch_alter_table('retired_badge', schema=None) as batch_op:
        batch_op.add_column(sa.Column('code_hash', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('retired_by_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_retired_badge_code_hash'), ['code_hash'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_retired_badge_retired_by_id_user_account'), 'user_account', ['retired_by_id'], ['id'], ondelete='SET NULL')


def downgrade():
    with op.batch_alter_table('retired_badge', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_retired_badge_retired_by_id_user_account'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_retired_badge_code_hash'))
        batch_op.drop_column('retired_by_id')
        batch_op.drop_column('code_hash')

    with op.batch_alter_table('checkin', schema=None) as batch_op:
        batch_op.drop_constraint('answered_allowed', type_='check')
        batch_op.drop_constraint(batch_op.f('fk_checkin_retired_badge_id_retired_badge'), type_='foreignkey')
        batch_op.drop_column('retired_badge_id')
        batch_op.drop_column('uploaded_at')
        batch_op.drop_column('answered')
