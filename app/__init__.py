"""kurs: the learning platform for leadership IT courses and project-leader seminars.

``create_app`` is the only entry point (``flask``, gunicorn ``'app:create_app()'``, tests).
"""

from __future__ import annotations

import logging
from pathlib import Path

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from config import Config, default_config


def create_app(config_class: type[Config] | None = None) -> Flask:
    config_class = config_class or default_config()
    config_class.validate()

    app = Flask(__name__, instance_relative_config=True, template_folder="common/templates")
    app.config.from_object(config_class)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    Path(app.config["KURS_STORAGE_DIR"]).mkdir(parents=True, exist_ok=True)
    if app.config["KURS_PROXY_COUNT"]:
        n = app.config["KURS_PROXY_COUNT"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=n, x_proto=n, x_host=n)

    configure_logging(app)
    register_extensions(app)
    register_blueprints(app)
    register_errorhandlers(app)
    register_cli(app)
    return app


def configure_logging(app: Flask) -> None:
    if not app.testing and not logging.getLogger().handlers:
        logging.basicConfig(
            level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
        )
        logging.getLogger("alembic.runtime.plugins").setLevel(logging.WARNING)


def register_extensions(app: Flask) -> None:
    from app import models  # noqa: F401  (every model, before the engine is used)
    from app.accounts import passwords
    from app.accounts.login import init_login
    from app.common.fragments import init_fragments
    from app.common.i18n import init_i18n
    from app.common.labels import init_labels
    from app.common.navigation import init_navigation
    from app.common.numbers import IdConverter, id_converter_schema
    from app.database import MigrationCommands, configure_engine, engine_options
    from app.extensions import api, csrf, db, limiter
    from app.security import register_input_guard, register_security_headers

    # Before any route: an id beyond what the database holds is not found (404).
    app.url_map.converters["int"] = IdConverter
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = engine_options(app.config)
    db.init_app(app)
    configure_engine(app)
    app.cli.add_command(MigrationCommands(app))
    csrf.init_app(app)
    limiter.init_app(app)
    init_i18n(app)
    init_login(app)
    init_navigation(app)
    init_fragments(app)
    init_labels(app)
    passwords.configure(app.config)
    api.init_app(app)
    api.register_converter(IdConverter, id_converter_schema)
    register_security_headers(app)
    register_input_guard(app)


def register_blueprints(app: Flask) -> None:
    from app.accounts.admin_views import bp as accounts_admin_bp
    from app.accounts.views import bp as accounts_bp
    from app.api import register_api
    from app.catalogue.views import register_blueprints as register_catalogue
    from app.certificates.views import bp as certificates_bp
    from app.enrolment.views import register_blueprints as register_enrolment
    from app.evaluation.results_views import bp as evaluation_bp
    from app.home.views import bp as home_bp
    from app.jobs.views import bp as jobs_bp
    from app.outbox.views import bp as outbox_bp
    from app.privacy.views import bp as privacy_bp
    from app.quizzes.views import bp as quizzes_bp
    from app.reports.views import bp as reports_bp
    from app.seminars.views import bp as seminars_bp
    from app.sharing.authoring import bp as authoring_bp
    from app.sharing.views import bp as sharing_bp
    from app.toolbox.views import bp as toolbox_bp

    app.register_blueprint(home_bp)
    app.register_blueprint(accounts_bp)
    app.register_blueprint(outbox_bp)
    app.register_blueprint(jobs_bp)
    app.register_blueprint(accounts_admin_bp)
    app.register_blueprint(toolbox_bp)
    app.register_blueprint(sharing_bp)
    app.register_blueprint(authoring_bp)
    app.register_blueprint(certificates_bp)
    app.register_blueprint(quizzes_bp)
    app.register_blueprint(seminars_bp)
    app.register_blueprint(evaluation_bp)
    app.register_blueprint(privacy_bp)
    app.register_blueprint(reports_bp)
    register_catalogue(app)
    register_enrolment(app)
    register_api(app)


def register_errorhandlers(app: Flask) -> None:
    from app.errors import register_errorhandlers as register

    register(app)


def register_cli(app: Flask) -> None:
    from app.cli import register_commands

    register_commands(app)
