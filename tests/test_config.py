import pytest

from app import create_app
from config import Config, ConfigError


def test_production_without_secret_key_refuses_to_start():
    class Production(Config):
        PRODUCTION = True
        SECRET_KEY = None

    with pytest.raises(ConfigError, match="SECRET_KEY"):
        create_app(Production)


def test_development_runs_without_secret_key_settings(tmp_path):
    from config import DevelopmentConfig

    class Dev(DevelopmentConfig):
        SQLALCHEMY_DATABASE_URI = f"sqlite:///{tmp_path}/dev.db"
        KURS_STORAGE_DIR = str(tmp_path / "storage")

    app = create_app(Dev)
    assert app.config["SECRET_KEY"]
    assert not app.config["SESSION_COOKIE_SECURE"]
