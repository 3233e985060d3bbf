"""The IT project register: projects with their people, network and IT
representative, their methodology documents, and the IT service's settings.

Revision ID: c41f7a2d9e83
Revises: b6c9e96208e2
Create Date: 2026-11-28 02:07:31.236313

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c41f7a2d9e83'
down_revision = 'b6c9e96208e2'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('it_project',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('purpose', sa.Text(), nullable=False),
    sa.Column('phase', sa.Enum('idea', 'planning', 'acquisition', 'introduction', 'operation', 'closed', name='project_phase', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('leader_id', sa.Integer(), nullable=False),
    sa.Column('owner_id', sa.Integer(), nullable=True),
    sa.Column('it_representative_id', sa.Integer(), nullable=True),
    sa.Column('contact_email', sa.String(length=254), nullable=True),
    sa.Column('contact_phone', sa.String(length=40), nullable=True),
    sa.Column('starts_on', sa.Date(), nullable=True),
    sa.Column('planned_end_on', sa.Date(), nullable=True),
    sa.Column('buys_equipment_or_software', sa.Boolean(), nullable=False),
    sa.Column('network', sa.Enum('tk_nett', 'elevnett', 'none', name='project_network', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("buys_equipment_or_software OR network = 'none'", name=op.f('ck_it_project_network_only_when_buying')),
    sa.CheckConstraint("network = 'none' OR NOT buys_equipment_or_software OR it_representative_id IS NOT NULL OR phase IN ('idea', 'planning')", name=op.f('ck_it_project_representative_before_acquisition')),
    sa.CheckConstraint('starts_on IS NULL OR planned_end_on IS NULL OR planned_end_on >= starts_on', name=op.f('ck_it_project_end_after_start')),
    sa.CheckConstraint('version >= 1', name=op.f('ck_it_project_version_positive')),
    sa.ForeignKeyConstraint(['created_by_id'], ['user_account.id'], name=op.f('fk_it_project_created_by_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['it_representative_id'], ['user_account.id'], name=op.f('fk_it_project_it_representative_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['leader_id'], ['user_account.id'], name=op.f('fk_it_project_leader_id_user_account')),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], name=op.f('fk_it_project_organisation_id_organisation')),
    sa.ForeignKeyConstraint(['owner_id'], ['user_account.id'], name=op.f('fk_it_project_owner_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], name=op.f('fk_it_project_unit_id_unit')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_it_project'))
    )
    with op.batch_alter_table('it_project', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_it_project_it_representative_id'), ['it_representative_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_it_project_leader_id'), ['leader_id'], unique=False)
        batch_op.create_index('ix_it_project_org_phase', ['organisation_id', 'phase'], unique=False)
        batch_op.create_index(batch_op.f('ix_it_project_owner_id'), ['owner_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_it_project_unit_id'), ['unit_id'], unique=False)

    op.create_table('project_register_settings',
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('it_service_unit_id', sa.Integer(), nullable=True),
    sa.Column('required_documents', sa.JSON(), nullable=True),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['it_service_unit_id'], ['unit.id'], name=op.f('fk_project_register_settings_it_service_unit_id_unit'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], name=op.f('fk_project_register_settings_organisation_id_organisation')),
    sa.ForeignKeyConstraint(['updated_by_id'], ['user_account.id'], name=op.f('fk_project_register_settings_updated_by_id_user_account'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('organisation_id', name=op.f('pk_project_register_settings'))
    )
    op.create_table('methodology_document',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('category', sa.Enum('mandate', 'project_plan', 'benefits_plan', 'cost_benefit', 'risk_analysis', 'acquisition', 'status_report', 'closing_report', name='document_category', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('toolbox_item_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.Enum('planned', 'draft', 'approved', name='document_status', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('url', sa.String(length=500), nullable=True),
    sa.Column('storage_key', sa.String(length=255), nullable=True),
    sa.Column('file_name', sa.String(length=200), nullable=True),
    sa.Column('content_type', sa.String(length=100), nullable=True),
    sa.Column('size', sa.Integer(), nullable=True),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("status = 'planned' OR url IS NOT NULL OR storage_key IS NOT NULL", name=op.f('ck_methodology_document_attached_unless_planned')),
    sa.CheckConstraint('url IS NULL OR storage_key IS NULL', name=op.f('ck_methodology_document_link_or_file')),
    sa.ForeignKeyConstraint(['project_id'], ['it_project.id'], name=op.f('fk_methodology_document_project_id_it_project'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['toolbox_item_id'], ['toolbox_item.id'], name=op.f('fk_methodology_document_toolbox_item_id_toolbox_item'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['updated_by_id'], ['user_account.id'], name=op.f('fk_methodology_document_updated_by_id_user_account'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_methodology_document'))
    )
    with op.batch_alter_table('methodology_document', schema=None) as batch_op:
        batch_op.create_index('ix_methodology_document_project', ['project_id', 'category'], unique=False)
        batch_op.create_index(batch_op.f('ix_methodology_document_toolbox_item_id'), ['toolbox_item_id'], unique=False)


def downgrade():
    with op.batch_alter_table('methodology_document', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_methodology_document_toolbox_item_id'))
        batch_op.drop_index('ix_methodology_document_project')

    op.drop_table('methodology_document')
    op.drop_table('project_register_settings')
    with op.batch_alter_table('it_project', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_it_project_unit_id'))
        batch_op.drop_index(batch_op.f('ix_it_project_owner_id'))
        batch_op.drop_index('ix_it_project_org_phase')
        batch_op.drop_index(batch_op.f('ix_it_project_leader_id'))
        batch_op.drop_index(batch_op.f('ix_it_project_it_representative_id'))

    op.drop_table('it_project')
