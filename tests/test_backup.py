"""``flask db-backup`` / ``flask db-restore`` round trip, on SQLite and PostgreSQL."""
from sqlalchemy import func, select

from app.audit import AuditEntry
from app.auth.models import Organisation


def _counts(app):
    with app.extensions["xieshang.sessions"]() as s:
        return (s.scalar(select(func.count()).select_from(Organisation)),
                s.scalar(select(func.count()).select_from(AuditEntry)))


def test_backup_and_restore_round_trip(app, runner, tmp_path):
    before = _counts(app)
    archive = tmp_path / "backup.bin"
    result = runner.invoke(args=["db-backup", "--output", str(archive)])
    assert result.exit_code == 0, result.output
    assert archive.stat().st_size > 0

    with app.extensions["xieshang.sessions"]() as s:
        s.add(Organisation(name="备份后新增（示例）", kind="union", province="河南省", city="开封市"))
        s.commit()
    assert _counts(app)[0] == before[0] + 1

    app.extensions["xieshang.engine"].dispose()  # no open connection holds the old data
    result = runner.invoke(args=["db-restore", "--input", str(archive), "--yes"])
    assert result.exit_code == 0, result.output
    assert _counts(app) == before
    with app.extensions["xieshang.sessions"]() as s:
        assert s.scalar(select(Organisation).where(Organisation.name == "备份后新增（示例）")) is None


def test_restore_refuses_a_file_that_is_not_a_backup(app, runner, tmp_path):
    junk = tmp_path / "junk.bin"
    junk.write_bytes(b"not a database at all" * 100)
    result = runner.invoke(args=["db-restore", "--input", str(junk), "--yes"])
    assert result.exit_code != 0
    assert _counts(app)[0] >= 9


def test_db_upgrade_command_is_idempotent(runner):
    result = runner.invoke(args=["db-upgrade"])
    assert result.exit_code == 0 and "latest revision" in result.output
