"""Seminar check-in: walk-ins (people who came without enrolling) and the QR code minute
stored on a self check-in (replay protection).

Revision ID: 0f260e7fef0a
Revises: d4b7997760ea
Create Date: 2026-11-28 01:54:39.438574

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0f260e7fef0a'
down_revision = 'd4b7997760ea'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('walk_in',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('offering_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.Enum('requested', 'confirmed', 'declined', name='walk_in_status', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('requested_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['decided_by_id'], ['user_account.id'], name=op.f('fk_walk_in_decided_by_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['offering_id'], ['offering.id'], name=op.f('fk_walk_in_offering_id_offering'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['session_id'], ['course_session.id'], name=op.f('fk_walk_in_session_id_course_session'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_walk_in_user_id_user_account'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_walk_in')),
    sa.UniqueConstraint('offering_id', 'user_id', name=op.f('uq_walk_in_offering_id_user_id'))
    )
    with op.batch_alter_table('walk_in', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_walk_in_offering_id'), ['offering_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_walk_in_user_id'), ['user_id'], unique=False)

    with op.batch_alter_table('attendance', schema=None) as batch_op:
        batch_op.add_column(sa.Column('qr_window', sa.Integer(), nullable=True))


def downgrade():
    with op.batch_alter_table('attendance', schema=None) as batch_op:
        batch_op.drop_column('qr_window')

    with op.batch_alter_table('walk_in', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_walk_in_user_id'))
        batch_op.drop_index(batch_op.f('ix_walk_in_offering_id'))

    op.drop_table('walk_in')
