"""The access log: who viewed which report or person, and whose data it showed.

Revision ID: e469eb783c8b
Revises: 59b7112daa79
Create Date: 2026-11-28 04:20:57.803764

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'e469eb783c8b'
down_revision = '59b7112daa79'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('access_log',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.String(length=64), nullable=False),
    sa.Column('filters', sa.JSON(), nullable=True),
    sa.Column('row_count', sa.Integer(), nullable=False),
    sa.Column('address', sa.String(length=64), nullable=True),
    sa.ForeignKeyConstraint(['actor_id'], ['user_account.id'], name=op.f('fk_access_log_actor_id_user_account'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_access_log'))
    )
    with op.batch_alter_table('access_log', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_access_log_actor_id'), ['actor_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_access_log_at'), ['at'], unique=False)

    op.create_table('access_log_subject',
    sa.Column('access_log_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['access_log_id'], ['access_log.id'], name=op.f('fk_access_log_subject_access_log_id_access_log'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_access_log_subject_user_id_user_account'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('access_log_id', 'user_id', name=op.f('pk_access_log_subject'))
    )
    with op.batch_alter_table('access_log_subject', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_access_log_subject_user_id'), ['user_id'], unique=False)



def downgrade():
    with op.batch_alter_table('access_log_subject', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_access_log_subject_user_id'))

    op.drop_table('access_log_subject')
    with op.batch_alter_table('access_log', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_access_log_at'))
        batch_op.drop_index(batch_op.f('ix_access_log_actor_id'))

    op.drop_table('access_log')
