"""people: the short link /l/<code> of a registration's personal page

Revision ID: b7e4a1c92d30
Revises: c3a8e51d7f42
Create Date: 2026-12-02 03:45:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'b7e4a1c92d30'
down_revision = 'c3a8e51d7f42'
branch_labels = None
depends_on = None


def upgrade():
    # Null until the link is first sent: existing registrations get theirs then.
    with op.batch_alter_table('registration', schema=None) as batch_op:
        batch_op.add_column(sa.Column('short_code', sa.String(length=16), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_registration_short_code'), ['short_code'])


def downgrade():
    with op.batch_alter_table('registration', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_registration_short_code'), type_='unique')
        batch_op.drop_column('short_code')
