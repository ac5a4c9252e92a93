"""The one list of tables: importing this module defines every table on ``app.db.Base``.

Alembic (``migrations/env.py``), the demo loader and the tests import it; nothing below this
layer does, so a feature's tables load without every other feature.
"""
from __future__ import annotations

from sqlalchemy import MetaData

from app import audit  # noqa: F401
from app.agreements import models as agreements  # noqa: F401
from app.agreements import library as agreement_library  # noqa: F401
from app.auth import models as auth  # noqa: F401
from app.db import Base
from app.jobs import models as jobs  # noqa: F401
from app.ledger import models as ledger  # noqa: F401
from app.negotiations import models as negotiations  # noqa: F401
from app.notifications import models as notifications  # noqa: F401
from app.scenarios import models as scenarios  # noqa: F401
from app.standards import models as standards  # noqa: F401
from app.surveys import models as surveys  # noqa: F401


def import_models() -> MetaData:
    """The metadata of every table (the imports above have defined them)."""
    return Base.metadata
