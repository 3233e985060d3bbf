"""Imports every domain's models so that Alembic and ``create_all`` see them all.

Defines none itself.
"""

# The access log's append-only listeners (see app.privacy.guard).
import app.privacy.guard  # noqa: F401, E402, I001
from app.accounts.models import (  # noqa: F401
    ApiToken,
    LoginAttempt,
    Organisation,
    RoleAssignment,
    Unit,
    User,
)
from app.catalogue.models import (  # noqa: F401
    Course,
    CourseAudience,
    Module,
    ModuleRead,
    Requirement,
)
from app.certificates.models import Certificate, Completion, SigningKey  # noqa: F401
from app.common.models import AuditEvent  # noqa: F401
from app.enrolment.models import CourseSession, Enrolment, Offering  # noqa: F401
from app.evaluation.models import (  # noqa: F401
    Evaluation,
    EvaluationAnswer,
    EvaluationQuestion,
    EvaluationRequest,
)
from app.jobs.models import Job  # noqa: F401
from app.outbox.models import OutboxEmail  # noqa: F401
from app.privacy.models import AccessLog, AccessLogSubject  # noqa: F401
from app.quizzes.models import Answer, Attempt, Choice, Question, Quiz  # noqa: F401
from app.seminars.models import (  # noqa: F401
    Attendance,
    NetworkEntry,
    Participant,
    RegistrationAnswer,
    RegistrationQuestions,
    WalkIn,
)
from app.sharing.models import (  # noqa: F401
    CourseAttachment,
    CourseContent,
    Package,
    PackageDraft,
    PackageVersion,
)
from app.toolbox.models import (  # noqa: F401
    ITProject,
    MethodologyDocument,
    ProjectRegisterSettings,
    ToolboxFile,
    ToolboxItem,
)
