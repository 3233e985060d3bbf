"""A login's own bookkeeping (``user_account.last_login_at``) no longer raises the
directory's generation: every login wrote it, and sent every person kept in every worker
back to the database.

Revision ID: 8c3f1a9e6d20
Revises: 5b8e0d4c2a17
Create Date: 2026-11-29 23:40:00.000000

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '8c3f1a9e6d20'
down_revision = '5b8e0d4c2a17'
branch_labels = None
depends_on = None

RAISE = "UPDATE directory_generation SET value = value + 1 WHERE id = 1"
#: Every column of user_account at this revision but last_login_at.
TRACKED = ("id, organisation_id, unit_id, employee_number, email, name, title, leader_level, "
           "leader_since, unit_since, is_project_leader, locale, active, is_service_account, "
           "session_version, password_hash, oidc_subject, created_at, deactivated_at, "
           "anonymised_at")
PG_EXECUTE = "FOR EACH STATEMENT EXECUTE FUNCTION raise_directory_generation()"


def upgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS directory_generation ON user_account")
        op.execute("CREATE TRIGGER directory_generation AFTER INSERT OR DELETE OR TRUNCATE "
                   f"ON user_account {PG_EXECUTE}")
        op.execute(f"CREATE TRIGGER directory_generation_update AFTER UPDATE OF {TRACKED} "
                   f"ON user_account {PG_EXECUTE}")
    else:
        op.execute("DROP TRIGGER IF EXISTS directory_generation_user_account_update")
        op.execute(f"CREATE TRIGGER directory_generation_user_account_update AFTER UPDATE OF "
                   f"{TRACKED} ON user_account BEGIN {RAISE}; END")


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS directory_generation_update ON user_account")
        op.execute("DROP TRIGGER IF EXISTS directory_generation ON user_account")
        op.execute("CREATE TRIGGER directory_generation AFTER INSERT OR UPDATE OR DELETE OR "
                   f"TRUNCATE ON user_account {PG_EXECUTE}")
    else:
        op.execute("DROP TRIGGER IF EXISTS directory_generation_user_account_update")
        op.execute("CREATE TRIGGER directory_generation_user_account_update AFTER UPDATE "
                   f"ON user_account BEGIN {RAISE}; END")
