"""Extension objects, created unbound; ``create_app`` binds them to the app.

Domain code imports from here, never from ``app``, so there are no circular imports.
"""

from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_smorest import Api
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect

from app.common.translations import KursBabel
from app.errors import ApiErrorSchema
from app.orm import Base

db = SQLAlchemy(model_class=Base)
login_manager = LoginManager()
csrf = CSRFProtect()
babel = KursBabel()
limiter = Limiter(key_func=get_remote_address, default_limits=[])


class KursApi(Api):
    """flask-smorest's Api without its app-wide JSON error handler.

    smorest registers one handler for every ``HTTPException`` in the whole app, which would
    turn the HTML error pages into JSON too. ``app.errors`` answers JSON under ``/api/`` and
    HTML elsewhere, with the domain codes the API contract promises.
    """

    ERROR_SCHEMA = ApiErrorSchema

    def _register_error_handlers(self):
        return None


api = KursApi()
