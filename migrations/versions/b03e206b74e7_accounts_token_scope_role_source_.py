"""Accounts in depth: a scope and a maker on API tokens, the source of a role (granted by
an admin, or kept in step with the identity provider's claim), and when a person was
deactivated.

Existing tokens keep acting with every right of their account (read_write); existing
roles were granted by hand (manual).

Revision ID: b03e206b74e7
Revises: 887aadd9786c
Create Date: 2026-11-28 01:53:34.716010

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b03e206b74e7'
down_revision = '887aadd9786c'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('api_token', schema=None) as batch_op:
        batch_op.add_column(sa.Column('scope', sa.Enum('read', 'read_write', name='token_scope', native_enum=False, create_constraint=True, length=32), server_default='read_write', nullable=False))
        batch_op.add_column(sa.Column('created_by_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_api_token_created_by_id_user_account'), 'user_account', ['created_by_id'], ['id'], ondelete='SET NULL')

    with op.batch_alter_table('role_assignment', schema=None) as batch_op:
        batch_op.add_column(sa.Column('source', sa.Enum('manual', 'sso', name='role_source', native_enum=False, create_constraint=True, length=32), server_default='manual', nullable=False))

    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.add_column(sa.Column('deactivated_at', sa.DateTime(timezone=True), nullable=True))


def downgrade():
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.drop_column('deactivated_at')

    # The enum's CHECK goes first: batch mode on SQLite would copy it into the new table.
    with op.batch_alter_table('role_assignment', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_role_assignment_role_source'), type_='check')
        batch_op.drop_column('source')

    with op.batch_alter_table('api_token', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_api_token_created_by_id_user_account'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('ck_api_token_token_scope'), type_='check')
        batch_op.drop_column('created_by_id')
        batch_op.drop_column('scope')
