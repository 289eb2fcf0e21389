"""roles per forum: forum_member (user × forum × role) and the administrator role

Existing installs keep working: the first organizer (the one who set the site up) becomes
the administrator, who manages users and every forum, and every other organizer, staff and
jury user becomes a member of every existing forum with their role.

Revision ID: e5b7d2a4c918
Revises: e5b2d8c14a07
Create Date: 2026-12-02 04:10:00

"""
import sqlalchemy as sa
from alembic import op

import forum.db

# revision identifiers, used by Alembic.
revision = 'e5b7d2a4c918'
down_revision = 'e5b2d8c14a07'
branch_labels = None
depends_on = None

OLD_ROLES = "role IN ('organizer', 'staff', 'employer', 'jury')"
NEW_ROLES = "role IN ('admin', 'organizer', 'staff', 'employer', 'jury')"


def upgrade():
    op.create_table(
        'forum_member',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('forum_id', sa.Integer(), nullable=False),
        sa.Column('role', sa.String(length=20), nullable=False),
        sa.Column('created_at', forum.db.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint("role IN ('organizer', 'staff', 'jury')", name=op.f('ck_forum_member_role_allowed')),
        sa.ForeignKeyConstraint(['forum_id'], ['forum.id'], name=op.f('fk_forum_member_forum_id_forum'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_forum_member_user_id_user_account'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_forum_member')),
        sa.UniqueConstraint('user_id', 'forum_id', name=op.f('uq_forum_member_user_id_forum_id')),
    )
    with op.batch_alter_table('forum_member', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_forum_member_forum_id'), ['forum_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_forum_member_user_id'), ['user_id'], unique=False)
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_user_account_role_allowed'), type_='check')
        batch_op.create_check_constraint('role_allowed', NEW_ROLES)

    # Someone must manage users: the first organizer, who set the site up, is the administrator
    # (who holds every forum role, so needs no membership).
    op.execute(sa.text(
        "UPDATE user_account SET role = 'admin' WHERE id = "
        "(SELECT MIN(id) FROM user_account WHERE role = 'organizer' AND active = :yes)").bindparams(yes=True))
    # Roles were global: each organizer, staff and jury user keeps them at every forum there is.
    op.execute(sa.text(
        "INSERT INTO forum_member (user_id, forum_id, role, created_at) "
        "SELECT u.id, f.id, u.role, CURRENT_TIMESTAMP FROM user_account u CROSS JOIN forum f "
        "WHERE u.role IN ('organizer', 'staff', 'jury')"))


def downgrade():
    op.execute(sa.text("UPDATE user_account SET role = 'organizer' WHERE role = 'admin'"))
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_user_account_role_allowed'), type_='check')
        batch_op.create_check_constraint('role_allowed', OLD_ROLES)
    with op.batch_alter_table('forum_member', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_forum_member_user_id'))
        batch_op.drop_index(batch_op.f('ix_forum_member_forum_id'))
    op.drop_table('forum_member')
