"""The opt-in participant network of a seminar.

Revision ID: f29af861e5b2
Revises: a00c013508d3
Create Date: 2026-11-28 02:00:01.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'f29af861e5b2'
down_revision = 'a00c013508d3'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('network_entry',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('offering_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('projects', sa.Text(), nullable=False),
    sa.Column('phone', sa.String(length=40), nullable=True),
    sa.Column('opted_in_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['offering_id'], ['offering.id'], name=op.f('fk_network_entry_offering_id_offering'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_network_entry_user_id_user_account'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_network_entry')),
    sa.UniqueConstraint('offering_id', 'user_id', name=op.f('uq_network_entry_offering_id_user_id'))
    )
    with op.batch_alter_table('network_entry', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_network_entry_offering_id'), ['offering_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_network_entry_user_id'), ['user_id'], unique=False)


def downgrade():
    with op.batch_alter_table('network_entry', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_network_entry_user_id'))
        batch_op.drop_index(batch_op.f('ix_network_entry_offering_id'))

    op.drop_table('network_entry')
