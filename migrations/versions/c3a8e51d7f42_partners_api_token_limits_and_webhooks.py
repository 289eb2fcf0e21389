"""partners' API: tokens for one forum and read-only; webhooks, their answers, and the
outbox's webhook channel

Revision ID: c3a8e51d7f42
Revises: c4e2a9d7b310
Create Date: 2026-12-02 03:30:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'c3a8e51d7f42'
down_revision = 'c4e2a9d7b310'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('api_token', schema=None) as batch_op:
        batch_op.add_column(sa.Column('forum_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('read_only', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.create_index(batch_op.f('ix_api_token_forum_id'), ['forum_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_api_token_forum_id_forum'), 'forum', ['forum_id'], ['id'],
                                    ondelete='CASCADE')
    op.create_table(
        'webhook',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('forum_id', sa.Integer(), nullable=False),
        sa.Column('url', sa.String(length=254), nullable=False),
        sa.Column('events', sa.JSON(), nullable=False),
        sa.Column('secret', sa.String(length=64), nullable=False),
        sa.Column('active', sa.Boolean(), nullable=False),
        sa.Column('created_by_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['created_by_id'], ['user_account.id'], name=op.f('fk_webhook_created_by_id_user_account'),
                                ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['forum_id'], ['forum.id'], name=op.f('fk_webhook_forum_id_forum'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_webhook')),
    )
    with op.batch_alter_table('webhook', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_webhook_forum_id'), ['forum_id'], unique=False)
    op.create_table(
        'webhook_answer',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('message_id', sa.Integer(), nullable=False),
        sa.Column('webhook_id', sa.Integer(), nullable=False),
        sa.Column('at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('status', sa.Integer(), nullable=True),
        sa.Column('body', sa.String(length=500), nullable=False),
        sa.Column('error', sa.String(length=500), nullable=False),
        sa.ForeignKeyConstraint(['message_id'], ['message.id'], name=op.f('fk_webhook_answer_message_id_message'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['webhook_id'], ['webhook.id'], name=op.f('fk_webhook_answer_webhook_id_webhook'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_webhook_answer')),
    )
    with op.batch_alter_table('webhook_answer', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_webhook_answer_message_id'), ['message_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_webhook_answer_webhook_id'), ['webhook_id'], unique=False)
    with op.batch_alter_table('message', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_message_channel_allowed'), type_='check')
        batch_op.create_check_constraint('channel_allowed', "channel IN ('email', 'sms', 'webhook')")


def downgrade():
    op.execute("DELETE FROM message WHERE channel = 'webhook'")
    with op.batch_alter_table('message', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_message_channel_allowed'), type_='check')
        batch_op.create_check_constraint('channel_allowed', "channel IN ('email', 'sms')")
    with op.batch_alter_table('webhook_answer', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_webhook_answer_webhook_id'))
        batch_op.drop_index(batch_op.f('ix_webhook_answer_message_id'))
    op.drop_table('webhook_answer')
    with op.batch_alter_table('webhook', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_webhook_forum_id'))
    op.drop_table('webhook')
    with op.batch_alter_table('api_token', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_api_token_forum_id_forum'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_api_token_forum_id'))
        batch_op.drop_column('read_only')
        batch_op.drop_column('forum_id')
