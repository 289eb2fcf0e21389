"""organization names per language and aliases (issue 18, clean organizations)

`name` stays the organization's own spelling; `names` holds it per page language where
written, `aliases` the other spellings an import may use. Existing rows get none of either.

Revision ID: 9d1e142586e9
Revises: b2fb7c63a585
Create Date: 2026-12-02 06:29:16.710273

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '9d1e142586e9'
down_revision = 'b2fb7c63a585'
branch_labels = None
depends_on = None


def upgrade():
    # The server defaults fill existing rows and are then dropped: the model gives the values.
    with op.batch_alter_table('organization', schema=None) as batch_op:
        batch_op.add_column(sa.Column('names', sa.JSON(), nullable=False, server_default=sa.text("'{}'")))
        batch_op.add_column(sa.Column('aliases', sa.JSON(), nullable=False, server_default=sa.text("'[]'")))
    with op.batch_alter_table('organization', schema=None) as batch_op:
        batch_op.alter_column('names', server_default=None)
        batch_op.alter_column('aliases', server_default=None)


def downgrade():
    with op.batch_alter_table('organization', schema=None) as batch_op:
        batch_op.drop_column('aliases')
        batch_op.drop_column('names')
