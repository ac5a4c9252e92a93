"""One SQLAlchemy session per request, closed at teardown."""
from __future__ import annotations

from flask import current_app, g
from sqlalchemy.orm import Session

from app.db import make_engine, make_session_factory


def init_app(app) -> None:
    engine = make_engine(app.config["DATABASE_URL"])
    app.extensions["xieshang.engine"] = engine
    app.extensions["xieshang.sessions"] = make_session_factory(engine)
    app.teardown_appcontext(_close)


def db() -> Session:
    """The request's session (created on first use)."""
    if "db_session" not in g:
        g.db_session = current_app.extensions["xieshang.sessions"]()
    return g.db_session


def _close(_exc) -> None:
    session = g.pop("db_session", None)
    if session is not None:
        session.close()
