"""The directory's generation: one counter that triggers raise in every transaction that
changes an organisation, a unit, a person or a role, so that a worker may keep a person
between requests for exactly as long as nothing about them has changed.

Revision ID: 5b8e0d4c2a17
Revises: 3f9b2c7d1e55
Create Date: 2026-11-29 22:00:00.000000

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '5b8e0d4c2a17'
down_revision = '3f9b2c7d1e55'
branch_labels = None
depends_on = None

TABLES = ("organisation", "unit", "user_account", "role_assignment")
RAISE = "UPDATE directory_generation SET value = value + 1 WHERE id = 1"


def upgrade():
    table = op.create_table(
        'directory_generation',
        sa.Column('id', sa.Integer(), autoincrement=False, nullable=False),
        sa.Column('value', sa.BigInteger(), nullable=False),
        sa.CheckConstraint('id = 1', name=op.f('ck_directory_generation_single_row')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_directory_generation')),
    )
    op.bulk_insert(table, [{"id": 1, "value": 0}])
    if op.get_bind().dialect.name == "postgresql":
        op.execute("CREATE OR REPLACE FUNCTION raise_directory_generation() RETURNS trigger "
                   f"LANGUAGE plpgsql AS $$ BEGIN {RAISE}; RETURN NULL; END $$")
        for name in TABLES:
            op.execute(f"CREATE TRIGGER directory_generation AFTER INSERT OR UPDATE OR "
                       f"DELETE OR TRUNCATE ON {name} FOR EACH STATEMENT "
                       f"EXECUTE FUNCTION raise_directory_generation()")
    else:
        for name in TABLES:
            for event in ("INSERT", "UPDATE", "DELETE"):
                op.execute(f"CREATE TRIGGER directory_generation_{name}_{event.lower()} "
                           f"AFTER {event} ON {name} BEGIN {RAISE}; END")


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        for name in TABLES:
            op.execute(f"DROP TRIGGER IF EXISTS directory_generation ON {name}")
        op.execute("DROP FUNCTION IF EXISTS raise_directory_generation()")
    else:
        for name in TABLES:
            for event in ("insert", "update", "delete"):
                op.execute(f"DROP TRIGGER IF EXISTS directory_generation_{name}_{event}")
    op.drop_table('directory_generation')
