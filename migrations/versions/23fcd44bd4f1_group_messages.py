"""group messages: message_batch, message.batch_id, and the message status "cancelled"

A free text written to a group of registrations is one batch of messages; what is still
queued can be cancelled (status "cancelled"), what was sent stays.

Revision ID: 23fcd44bd4f1
Revises: 4ac51b52bada
Create Date: 2026-12-02 06:28:45.931651

"""
import sqlalchemy as sa
from alembic import op

import forum.db


# revision identifiers, used by Alembic.
revision = '23fcd44bd4f1'
down_revision = '4ac51b52bada'
branch_labels = None
depends_on = None

STATUSES_BEFORE = "status IN ('queued', 'sending', 'sent', 'failed')"
STATUSES_AFTER = "status IN ('queued', 'sending', 'sent', 'failed', 'cancelled')"


def upgrade():
    op.create_table('message_batch',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('forum_id', sa.Integer(), nullable=False),
    sa.Column('nonce', sa.String(length=40), nullable=False),
    sa.Column('texts', sa.JSON(), nullable=False),
    sa.Column('filters', sa.JSON(), nullable=False),
    sa.Column('channels', sa.String(length=12), nullable=False),
    sa.Column('recipients', sa.Integer(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', forum.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('cancelled_at', forum.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('cancelled_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['cancelled_by_id'], ['user_account.id'],
                            name=op.f('fk_message_batch_cancelled_by_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['created_by_id'], ['user_account.id'],
                            name=op.f('fk_message_batch_created_by_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['forum_id'], ['forum.id'],
                            name=op.f('fk_message_batch_forum_id_forum'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_message_batch')),
    sa.UniqueConstraint('nonce', name=op.f('uq_message_batch_nonce'))
    )
    with op.batch_alter_table('message_batch', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_message_batch_forum_id'), ['forum_id'], unique=False)

    with op.batch_alter_table('message', schema=None) as batch_op:
        batch_op.add_column(sa.Column('batch_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_message_batch_id'), ['batch_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_message_batch_id_message_batch'), 'message_batch', ['batch_id'],
                                    ['id'], ondelete='SET NULL')
        batch_op.drop_constraint(op.f('ck_message_status_allowed'), type_='check')
        batch_op.create_check_constraint('status_allowed', STATUSES_AFTER)


def downgrade():
    # A cancelled message was never sent: it stays out of the queue as a failed one.
    op.execute("UPDATE message SET status = 'failed', last_error = 'cancelled' WHERE status = 'cancelled'")
    with op.batch_alter_table('message', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_message_status_allowed'), type_='check')
        batch_op.create_check_constraint('status_allowed', STATUSES_BEFORE)
        batch_op.drop_constraint(batch_op.f('fk_message_batch_id_message_batch'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_message_batch_id'))
        batch_op.drop_column('batch_id')

    with op.batch_alter_table('message_batch', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_message_batch_forum_id'))

    op.drop_table('message_batch')
