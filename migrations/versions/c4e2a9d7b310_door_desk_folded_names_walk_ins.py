"""door desk: folded names for search, walk-in registrations, numbered scanner phones

Persons get `name_folded` (forum.people.folding.fold of the name, indexed) so that searches
find "Раҳимова" by "Рахимова" or "Rahimova"; existing persons are folded here. Registrations
made at a checkpoint's door are recorded with source "walkin", and their check-in with method
"walkin". Scanner phones get numbers per forum (scanner_device), so an unnamed phone is
"Phone 2" on the board.

Revision ID: c4e2a9d7b310
Revises: 7d1c0e5a9b21
Create Date: 2026-12-02 03:40:00

"""
from alembic import op
import sqlalchemy as sa

import forum.db

# revision identifiers, used by Alembic.
revision = 'c4e2a9d7b310'
down_revision = '7d1c0e5a9b21'
branch_labels = None
depends_on = None

SOURCES_BEFORE = "'self', 'organizer', 'import', 'demo', 'feature'"
SOURCES_AFTER = SOURCES_BEFORE + ", 'walkin'"
METHODS_BEFORE = "'camera', 'keyboard', 'search', 'api'"
METHODS_AFTER = METHODS_BEFORE + ", 'walkin'"


def _fold_existing_names():
    # The model folds on every write from now on; rows written before get the same fold,
    # by the same function, in batches so a 50,000-person database needs little memory.
    from forum.people.folding import fold

    conn = op.get_bind()
    person = sa.table('person', sa.column('id', sa.Integer), sa.column('full_name', sa.String),
                      sa.column('name_folded', sa.String))
    last = 0
    while True:
        rows = conn.execute(sa.select(person.c.id, person.c.full_name).where(person.c.id > last)
                            .order_by(person.c.id).limit(1000)).all()
        if not rows:
            break
        conn.execute(person.update().where(person.c.id == sa.bindparam('pid')).values(name_folded=sa.bindparam('folded')),
                     [{'pid': pid, 'folded': fold(name)} for pid, name in rows])
        last = rows[-1][0]


def upgrade():
    op.create_table('scanner_device',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('forum_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('created_at', forum.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['forum_id'], ['forum.id'], name=op.f('fk_scanner_device_forum_id_forum'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_scanner_device_user_id_user_account'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_scanner_device')),
    sa.UniqueConstraint('forum_id', 'number', name=op.f('uq_scanner_device_forum_id_number'))
    )
    with op.batch_alter_table('scanner_device', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_scanner_device_forum_id'), ['forum_id'], unique=False)

    with op.batch_alter_table('person', schema=None) as batch_op:
        batch_op.add_column(sa.Column('name_folded', sa.String(length=400), nullable=False, server_default=''))
    _fold_existing_names()
    with op.batch_alter_table('person', schema=None) as batch_op:
        batch_op.alter_column('name_folded', server_default=None)
        batch_op.create_index(batch_op.f('ix_person_name_folded'), ['name_folded'], unique=False)

    with op.batch_alter_table('registration', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_registration_source_allowed'), type_='check')
        batch_op.create_check_constraint('source_allowed', f"source IN ({SOURCES_AFTER})")
    with op.batch_alter_table('checkin', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_checkin_method_allowed'), type_='check')
        batch_op.create_check_constraint('method_allowed', f"method IN ({METHODS_AFTER})")


def downgrade():
    op.execute("UPDATE checkin SET method = 'search' WHERE method = 'walkin'")
    with op.batch_alter_table('checkin', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_checkin_method_allowed'), type_='check')
        batch_op.create_check_constraint('method_allowed', f"method IN ({METHODS_BEFORE})")
    op.execute("UPDATE registration SET source = 'organizer' WHERE source = 'walkin'")
    with op.batch_alter_table('registration', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_registration_source_allowed'), type_='check')
        batch_op.create_check_constraint('source_allowed', f"source IN ({SOURCES_BEFORE})")

    with op.batch_alter_table('person', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_person_name_folded'))
        batch_op.drop_column('name_folded')

    with op.batch_alter_table('scanner_device', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_scanner_device_forum_id'))
    op.drop_table('scanner_device')
