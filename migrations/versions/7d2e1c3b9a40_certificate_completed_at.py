"""A certificate keeps the date of its completion, the date it prints.

Certificates issued before stay without it and keep printing their issue date, so that a
lost PDF is still redrawn to its recorded hash.

Revision ID: 7d2e1c3b9a40
Revises: 7e3a1c52b9d4
Create Date: 2026-11-29 07:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '7d2e1c3b9a40'
down_revision = '7e3a1c52b9d4'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('certificate', schema=None) as batch_op:
        batch_op.add_column(sa.Column('completed_at', sa.DateTime(timezone=True), nullable=True))


def downgrade():
    with op.batch_alter_table('certificate', schema=None) as batch_op:
        batch_op.drop_column('completed_at')
