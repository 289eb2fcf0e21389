"""SMS delivery reports and urgent SMS

Revision ID: a925983e59ed
Revises: 39659564fc06
Create Date: 2026-12-01 22:52:32.734998

"""
from alembic import op
import sqlalchemy as sa

import forum.db


# revision identifiers, used by Alembic.
revision = 'a925983e59ed'
down_revision = '39659564fc06'
branch_labels = None
depends_on = None

DELIVERY_CHECK = "delivery IN ('unconfirmed', 'accepted', 'buffered', 'delivered', 'undelivered')"


def upgrade():
    with op.batch_alter_table('message', schema=None) as batch_op:
        batch_op.add_column(sa.Column('urgent', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column('delivery', sa.String(length=12), nullable=True))
        batch_op.add_column(sa.Column('delivery_at', forum.db.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('delivery_note', sa.String(length=200), nullable=False, server_default=''))
        batch_op.create_check_constraint(op.f('ck_message_delivery_allowed'), DELIVERY_CHECK)
    # The defaults were only for the rows already there; the model sets them from now on.
    with op.batch_alter_table('message', schema=None) as batch_op:
        batch_op.alter_column('urgent', server_default=None)
        batch_op.alter_column('delivery_note', server_default=None)


def downgrade():
    with op.batch_alter_table('message', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_message_delivery_allowed'), type_='check')
        batch_op.drop_column('delivery_note')
        batch_op.drop_column('delivery_at')
        batch_op.drop_column('delivery')
        batch_op.drop_column('urgent')
