"""theatre: only an approved performance holds a slot; exhibition: up to 10 members at a stand

Revision ID: 7d1c0e5a9b21
Revises: f31f51919e1c
Create Date: 2026-11-27 10:00:00

"""
from alembic import op

# revision identifiers, used by Alembic.
revision = '7d1c0e5a9b21'
down_revision = 'f31f51919e1c'
branch_labels = None
depends_on = None


def upgrade():
    # Booking used to approve a waiting request as it booked it, so a booked row is approved
    # already; should one not be, it is on the agenda: approved is what it is.
    op.execute("UPDATE theatre_performance SET status = 'approved' WHERE slot_id IS NOT NULL AND status <> 'approved'")
    with op.batch_alter_table('theatre_performance', schema=None) as batch_op:
        batch_op.create_check_constraint('booked_when_approved', "slot_id IS NULL OR status = 'approved'")
    # The form always said 10; only the service let 11 to 20 through. Such a group keeps 10.
    op.execute("UPDATE exhibitor_application SET member_count = 10 WHERE member_count > 10")
    with op.batch_alter_table('exhibitor_application', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_exhibitor_application_member_count_range'), type_='check')
        batch_op.create_check_constraint('member_count_range', 'member_count BETWEEN 1 AND 10')


def downgrade():
    with op.batch_alter_table('exhibitor_application', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_exhibitor_application_member_count_range'), type_='check')
        batch_op.create_check_constraint('member_count_range', 'member_count BETWEEN 1 AND 20')
    with op.batch_alter_table('theatre_performance', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_theatre_performance_booked_when_approved'), type_='check')
