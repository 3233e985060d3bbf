"""The virtual toolbox: templates, their file versions (files live under
KURS_STORAGE_DIR) and the course sessions where each template is taught.

Revision ID: b6c9e96208e2
Revises: b03e206b74e7
Create Date: 2026-11-28 02:07:31.236313

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b6c9e96208e2'
down_revision = 'b03e206b74e7'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('toolbox_item',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=80), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('category', sa.Enum('mandate', 'project_plan', 'benefits_plan', 'cost_benefit', 'risk_analysis', 'acquisition', 'status_report', 'closing_report', name='toolbox_category', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('learn_more', sa.Text(), nullable=False),
    sa.Column('owner_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], name=op.f('fk_toolbox_item_organisation_id_organisation')),
    sa.ForeignKeyConstraint(['owner_id'], ['user_account.id'], name=op.f('fk_toolbox_item_owner_id_user_account'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_toolbox_item')),
    sa.UniqueConstraint('organisation_id', 'slug', name=op.f('uq_toolbox_item_organisation_id_slug'))
    )
    with op.batch_alter_table('toolbox_item', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_toolbox_item_organisation_id'), ['organisation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_toolbox_item_owner_id'), ['owner_id'], unique=False)

    op.create_table('toolbox_file',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('storage_key', sa.String(length=255), nullable=False),
    sa.Column('extension', sa.String(length=8), nullable=False),
    sa.Column('content_type', sa.String(length=100), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('original_name', sa.String(length=200), nullable=False),
    sa.Column('change_note', sa.Text(), nullable=False),
    sa.Column('uploaded_by_id', sa.Integer(), nullable=True),
    sa.Column('uploaded_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('number >= 1', name=op.f('ck_toolbox_file_number_positive')),
    sa.CheckConstraint('size >= 0', name=op.f('ck_toolbox_file_size_not_negative')),
    sa.ForeignKeyConstraint(['item_id'], ['toolbox_item.id'], name=op.f('fk_toolbox_file_item_id_toolbox_item'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['uploaded_by_id'], ['user_account.id'], name=op.f('fk_toolbox_file_uploaded_by_id_user_account'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_toolbox_file')),
    sa.UniqueConstraint('item_id', 'number', name=op.f('uq_toolbox_file_item_id_number'))
    )
    op.create_table('toolbox_item_session',
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['item_id'], ['toolbox_item.id'], name=op.f('fk_toolbox_item_session_item_id_toolbox_item'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['session_id'], ['course_session.id'], name=op.f('fk_toolbox_item_session_session_id_course_session'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('item_id', 'session_id', name=op.f('pk_toolbox_item_session'))
    )
    with op.batch_alter_table('toolbox_item_session', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_toolbox_item_session_session_id'), ['session_id'], unique=False)


def downgrade():
    with op.batch_alter_table('toolbox_item_session', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_toolbox_item_session_session_id'))

    op.drop_table('toolbox_item_session')
    op.drop_table('toolbox_file')
    with op.batch_alter_table('toolbox_item', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_toolbox_item_owner_id'))
        batch_op.drop_index(batch_op.f('ix_toolbox_item_organisation_id'))

    op.drop_table('toolbox_item')
