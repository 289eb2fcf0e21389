"""trigram index of folded names: searches for a word inside a name use an index on PostgreSQL

Searches look for each folded word anywhere in person.name_folded (LIKE '%word%'), which the
B-tree ix_person_name_folded cannot serve. On PostgreSQL the index becomes a GIN of trigrams
(pg_trgm's gin_trgm_ops), under the same name, after the extension is created (trusted: the
database's owner may). Nothing changes on SQLite, which has no such index. The downgrade puts
the B-tree back and leaves the extension (other objects may use it).

Revision ID: 2aab703896ac
Revises: 23fcd44bd4f1
Create Date: 2026-12-02 11:41:42

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '2aab703896ac'
down_revision = '23fcd44bd4f1'
branch_labels = None
depends_on = None


def _postgresql() -> bool:
    return op.get_bind().dialect.name == 'postgresql'


def upgrade():
    if not _postgresql():
        return
    op.execute('CREATE EXTENSION IF NOT EXISTS pg_trgm')
    op.drop_index('ix_person_name_folded', table_name='person')
    op.create_index('ix_person_name_folded', 'person', ['name_folded'], unique=False,
                    postgresql_using='gin', postgresql_ops={'name_folded': 'gin_trgm_ops'})


def downgrade():
    if not _postgresql():
        return
    op.drop_index('ix_person_name_folded', table_name='person')
    op.create_index('ix_person_name_folded', 'person', ['name_folded'], unique=False)
