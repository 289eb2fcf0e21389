"""vacancy revisions (an edit of an approved vacancy waits aside) and confirmed emails

Existing accounts count as confirmed from their creation: they were made before emails were
confirmed, by organizers or by employers whom organizers have been writing to since, and
an employer with vacancies on the public list must not lose the right to edit them on the
day this ships. Accounts made from now on confirm by the emailed link.

Revision ID: b2fb7c63a585
Revises: a7c3e9f1d2b4
Create Date: 2026-12-02 06:32:32.335458

"""
import sqlalchemy as sa
from alembic import op

import forum.db

# revision identifiers, used by Alembic.
revision = 'b2fb7c63a585'
down_revision = 'a7c3e9f1d2b4'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'vacancy_revision',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('vacancy_id', sa.Integer(), nullable=False),
        sa.Column('proposed', sa.JSON(), nullable=False),
        sa.Column('status', sa.String(length=10), nullable=False),
        sa.Column('decision_reason', sa.Text(), nullable=False),
        sa.Column('submitted_at', forum.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column('decided_at', forum.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column('decided_by_id', sa.Integer(), nullable=True),
        sa.CheckConstraint("status IN ('pending', 'rejected')", name=op.f('ck_vacancy_revision_status_allowed')),
        sa.ForeignKeyConstraint(['decided_by_id'], ['user_account.id'],
                                name=op.f('fk_vacancy_revision_decided_by_id_user_account'), ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['vacancy_id'], ['vacancy.id'], name=op.f('fk_vacancy_revision_vacancy_id_vacancy'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_vacancy_revision')),
        sa.UniqueConstraint('vacancy_id', name=op.f('uq_vacancy_revision_vacancy_id')),
    )
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.add_column(sa.Column('email_confirmed_at', forum.db.UTCDateTime(timezone=True), nullable=True))
    op.execute("UPDATE user_account SET email_confirmed_at = created_at")


def downgrade():
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.drop_column('email_confirmed_at')
    op.drop_table('vacancy_revision')
