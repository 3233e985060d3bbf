"""Enrolments are found by status: a leader's home page counts the open requests from
their units, and the approval list reads them, without scanning every enrolment.

Revision ID: 3f9b2c7d1e55
Revises: 7d2e1c3b9a40
Create Date: 2026-11-29 10:05:00.000000

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '3f9b2c7d1e55'
down_revision = '7d2e1c3b9a40'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('enrolment', schema=None) as batch_op:
        batch_op.create_index('ix_enrolment_status', ['status'], unique=False)


def downgrade():
    with op.batch_alter_table('enrolment', schema=None) as batch_op:
        batch_op.drop_index('ix_enrolment_status')
