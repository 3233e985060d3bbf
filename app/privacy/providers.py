"""Imports every domain's privacy provider (each registers itself)."""

import app.accounts.privacy  # noqa: F401
import app.catalogue.privacy  # noqa: F401
import app.certificates.privacy  # noqa: F401
import app.common.privacy  # noqa: F401
import app.enrolment.privacy  # noqa: F401
import app.evaluation.privacy  # noqa: F401
import app.jobs.privacy  # noqa: F401
import app.outbox.privacy  # noqa: F401
import app.privacy.privacy  # noqa: F401
import app.quizzes.privacy  # noqa: F401
import app.seminars.privacy  # noqa: F401
import app.sharing.privacy  # noqa: F401
import app.toolbox.privacy  # noqa: F401
