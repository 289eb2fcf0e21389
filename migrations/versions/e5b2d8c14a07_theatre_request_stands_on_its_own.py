"""theatre: a request whose contact phone belongs to a person already in the list is kept
without a contact registration (issue 16: a public form never attaches to a known person)

Revision ID: e5b2d8c14a07
Revises: b7e4a1c92d30
Create Date: 2026-12-02 05:00:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'e5b2d8c14a07'
down_revision = 'b7e4a1c92d30'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('theatre_performance', schema=None) as batch_op:
        batch_op.alter_column('registration_id', existing_type=sa.Integer(), nullable=True)


def downgrade():
    # Requests without a contact registration cannot be kept by the older schema.
    op.execute("DELETE FROM theatre_performance WHERE registration_id IS NULL")
    with op.batch_alter_table('theatre_performance', schema=None) as batch_op:
        batch_op.alter_column('registration_id', existing_type=sa.Integer(), nullable=False)
