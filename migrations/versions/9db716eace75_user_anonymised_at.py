"""When a person was anonymised (a leaver whose name, address and free text are gone).

Revision ID: 9db716eace75
Revises: e469eb783c8b
Create Date: 2026-11-28 15:31:27.751736

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '9db716eace75'
down_revision = 'e469eb783c8b'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.add_column(sa.Column('anonymised_at', sa.DateTime(timezone=True), nullable=True))


def downgrade():
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.drop_column('anonymised_at')
