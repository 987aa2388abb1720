"""Backups of a deployment: its database and its uploads in one archive, checked by hashes.

An archive is a gzip'd tar file, written 0600, holding:

- `manifest.json`: the celltrace version, the database vendor, the applied migrations of
  each app, each table's row count and content hash, the sha256 of every uploaded file and
  of the database file, and when the archive was made;
- `database.sqlite3` (SQLite's online backup) or `database.pgdump` (`pg_dump --format=custom`);
- `uploads/...`: every file of the uploads storage.

The table hashes (`table_hashes`) are computed from the values Django reads, in one canonical
form that does not depend on the database, so a restore is proved by recomputing them. On
PostgreSQL the hashes and `pg_dump` read one exported snapshot; on SQLite they read the one
transaction the backup copies: the manifest describes exactly the database in the archive,
even while celltrace keeps writing (docs/backups.md).
"""

from __future__ import annotations

import datetime as dt
import decimal
import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import uuid
from contextlib import contextmanager
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path, PurePosixPath

from django.apps import apps
from django.core.files.storage import FileSystemStorage, storages
from django.db import connection, transaction
from django.db.migrations.recorder import MigrationRecorder

from celltrace.refusal import Refused

MANIFEST = "manifest.json"
UPLOADS = "uploads"
DATABASE_FILES = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
FORMAT_VERSION = 1
_CHUNK = 1 << 20


# --- The one canonical form: table hashes and file hashes -----------------------------------


def canonical(value) -> object:
    """A value as JSON that reads the same whichever database it came from."""
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, float):
        return {"float": repr(value)}
    if isinstance(value, decimal.Decimal):
        return {"decimal": format(value.normalize(), "f")}
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(dt.UTC)
        return {"datetime": value.isoformat()}
    if isinstance(value, (dt.date, dt.time)):
        return {type(value).__name__: value.isoformat()}
    if isinstance(value, dt.timedelta):
        return {"duration_us": value // dt.timedelta(microseconds=1)}
    if isinstance(value, (bytes, bytearray, memoryview)):
        return {"bytes": bytes(value).hex()}
    if isinstance(value, uuid.UUID):
        return {"uuid": str(value)}
    if isinstance(value, (dict, list)):  # a JSONField: its keys sorted, whatever stored them
        return {"json": json.dumps(value, sort_keys=True, ensure_ascii=False)}
    raise TypeError(f"no canonical form for {type(value).__name__}")


def _models():
    """Every table Django manages, many-to-many tables included, once each."""
    seen = {}
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if meta.managed and not meta.proxy and not meta.swapped:
            seen.setdefault(meta.db_table, model)
    return dict(sorted(seen.items()))


def table_hashes(using: str = "default") -> dict[str, dict]:
    """Each table's row count and sha256 of its rows in canonical form, ordered by key."""
    result = {}
    for table, model in _models().items():
        fields = [f.attname for f in model._meta.concrete_fields]
        key = fields.index(model._meta.pk.attname)
        rows = []
        for values in model._base_manager.using(using).values_list(*fields).iterator(2000):
            line = json.dumps([canonical(v) for v in values], ensure_ascii=False)
            rows.append((canonical(values[key]), hashlib.sha256(line.encode()).digest()))
        # Sorted here, not by the database: collations order text keys differently.
        rows.sort(key=lambda row: json.dumps(row[0], sort_keys=True))
        digest = hashlib.sha256()
        for _key, row_hash in rows:
            digest.update(row_hash)
        result[table] = {"rows": len(rows), "sha256": digest.hexdigest()}
    return result


def migration_state() -> dict[str, list[str]]:
    """The applied migrations of each app, by name."""
    applied: dict[str, list[str]] = {}
    for app, name in MigrationRecorder(connection).applied_migrations():
        applied.setdefault(app, []).append(name)
    return {app: sorted(names) for app, names in sorted(applied.items())}


def uploads_root() -> Path:
    """The folder of the uploads storage (a file-system storage, as the settings make it)."""
    storage = storages["default"]
    if not isinstance(storage, FileSystemStorage):
        raise Refused("backups copy uploads from a file-system storage only", code="backup_storage")
    return Path(storage.location)


def file_hashes(root: Path) -> dict[str, str]:
    """The sha256 of every file under root, by its path relative to root."""
    hashes = {}
    if root.exists():
        for path in sorted(root.rglob("*")):
            if path.is_file():
                hashes[path.relative_to(root).as_posix()] = _sha256_file(path)
    return hashes


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        while chunk := file.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def differences(expected: dict, found: dict, what: str) -> list[str]:
    """One line per key whose value differs, is missing or is extra."""
    lines = []
    for key in sorted(set(expected) | set(found)):
        if key not in found:
            lines.append(f"{what} {key}: missing")
        elif key not in expected:
            lines.append(f"{what} {key}: not in the backup")
        elif expected[key] != found[key]:
            lines.append(f"{what} {key}: differs ({expected[key]} in the backup, {found[key]} now)")
    return lines


# --- Backup -----------------------------------------------------------------------------------


def make_backup(target: Path) -> dict:
    """Write the archive to target (which must not exist); return its manifest."""
    target = Path(target)
    if target.exists():
        raise Refused(
            f"{target} exists: a backup never overwrites a file; choose a new name",
            code="backup_exists",
        )
    vendor = connection.vendor
    if vendor not in DATABASE_FILES:
        raise Refused(f"backups support SQLite and PostgreSQL, not {vendor}", code="backup_vendor")
    root = uploads_root()
    with tempfile.TemporaryDirectory(prefix="celltrace-backup-") as work:
        database = Path(work) / DATABASE_FILES[vendor]
        with _snapshot(database) as tables:
            manifest = {
                "format": FORMAT_VERSION,
                "celltrace_version": _version(),
                "created_at": dt.datetime.now(dt.UTC).isoformat(),
                "database_vendor": vendor,
                "migrations": migration_state(),
                "tables": tables,
            }
        manifest["database_file"] = {"name": database.name, "sha256": _sha256_file(database)}
        manifest["files"] = file_hashes(root)
        _write_archive(target, manifest, database, root)
    return manifest


@contextmanager
def _snapshot(database: Path):
    """Copy the database to `database`; yield the hashes of exactly the copied state."""
    if connection.in_atomic_block:
        raise Refused("a backup cannot run inside a transaction", code="backup_in_transaction")
    connection.ensure_connection()
    if connection.vendor == "sqlite":
        raw = connection.connection
        raw.execute("BEGIN DEFERRED")  # a read transaction: its snapshot is what is copied
        try:
            tables = table_hashes()
            with sqlite3.connect(database) as copy:
                raw.backup(copy)
            copy.close()
        finally:
            raw.execute("COMMIT")
        yield tables
        return
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            (snapshot,) = cursor.fetchone()
        _postgres(
            "pg_dump",
            "--format=custom",
            f"--file={database}",
            f"--snapshot={snapshot}",
            connection.settings_dict["NAME"],
        )
        tables = table_hashes()
    yield tables


def _write_archive(target: Path, manifest: dict, database: Path, root: Path) -> None:
    descriptor = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(descriptor, "wb") as raw, tarfile.open(fileobj=raw, mode="w:gz") as tar:
            data = json.dumps(manifest, indent=2, sort_keys=True).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size, info.mode = len(data), 0o600
            tar.addfile(info, io.BytesIO(data))
            tar.add(database, arcname=database.name, filter=_private)
            for name in manifest["files"]:
                tar.add(root / name, arcname=f"{UPLOADS}/{name}", filter=_private)
    except BaseException:
        target.unlink(missing_ok=True)
        raise


def _private(info: tarfile.TarInfo) -> tarfile.TarInfo:
    info.uid = info.gid = 0
    info.uname = info.gname = ""
    info.mode = 0o600
    return info


def _version() -> str:
    try:
        return metadata.version("celltrace")
    except metadata.PackageNotFoundError:
        return "unknown"


# --- Verify and restore -----------------------------------------------------------------------


@dataclass(frozen=True)
class Archive:
    """An archive unpacked into a private folder, its manifest read."""

    folder: Path
    manifest: dict

    @property
    def database(self) -> Path:
        return self.folder / self.manifest["database_file"]["name"]

    @property
    def uploads(self) -> Path:
        return self.folder / UPLOADS


@contextmanager
def opened(path: Path):
    """Unpack an archive into a temporary folder (refusing unsafe member names)."""
    path = Path(path)
    if not path.is_file():
        raise Refused(f"{path} is not a file", code="backup_missing")
    with tempfile.TemporaryDirectory(prefix="celltrace-restore-") as work:
        folder = Path(work)
        try:
            with tarfile.open(path, mode="r:gz") as tar:
                tar.extractall(folder, filter="data")
            manifest = json.loads((folder / MANIFEST).read_text())
        except (tarfile.TarError, OSError, EOFError, ValueError) as error:
            raise Refused(
                f"{path} is not a readable celltrace backup: {error}", code="backup_unreadable"
            ) from None
        if manifest.get("format") != FORMAT_VERSION:
            raise Refused(
                f"{path} has an unknown backup format {manifest.get('format')!r}",
                code="backup_format",
            )
        yield Archive(folder, manifest)


def archive_problems(archive: Archive) -> list[str]:
    """What in the archive differs from its manifest: the database file and every upload."""
    problems = []
    expected = archive.manifest["database_file"]
    if not archive.database.is_file():
        problems.append(f"database file {expected['name']}: missing")
    elif _sha256_file(archive.database) != expected["sha256"]:
        problems.append(f"database file {expected['name']}: its sha256 differs from the manifest")
    problems += differences(archive.manifest["files"], file_hashes(archive.uploads), "file")
    return problems


def verify(path: Path) -> dict:
    """Check an archive's integrity without restoring it; return its manifest."""
    with opened(path) as archive:
        problems = archive_problems(archive)
        if problems:
            raise Refused(f"{path} is damaged:\n" + "\n".join(problems), code="backup_damaged")
        return archive.manifest


def restore(path: Path, *, force: bool = False) -> dict:
    """Restore an archive into the configured database and uploads folder, then prove it.

    The target must be empty (no table with a row, no uploaded file) unless `force`, which
    replaces what is there. Returns the manifest; raises Refused naming every difference.
    """
    with opened(path) as archive:
        manifest = archive.manifest
        problems = archive_problems(archive)
        if problems:
            raise Refused(
                f"{path} is damaged, nothing was restored:\n" + "\n".join(problems),
                code="backup_damaged",
            )
        vendor = connection.vendor
        if manifest["database_vendor"] != vendor:
            raise Refused(
                f"{path} holds a {manifest['database_vendor']} database; this deployment uses "
                f"{vendor}: restore into the same kind of database",
                code="restore_vendor",
            )
        root = uploads_root()
        if not force:
            _check_empty(root)
        _restore_database(archive.database, force=force)
        _restore_uploads(archive.uploads, root)
    problems = differences(manifest["migrations"], migration_state(), "migrations of")
    problems += differences(manifest["tables"], table_hashes(), "table")
    problems += differences(manifest["files"], file_hashes(root), "file")
    if problems:
        raise Refused(
            "the restored data differs from the backup:\n" + "\n".join(problems),
            code="restore_differs",
        )
    return manifest


def _check_empty(root: Path) -> None:
    holding = [table for table, rows in _row_counts().items() if rows]
    if holding:
        shown = ", ".join(holding[:5]) + (" ..." if len(holding) > 5 else "")
        raise Refused(
            f"the target database holds data ({len(holding)} tables with rows: {shown}); "
            "restore into an empty database, or pass --force to replace everything in it",
            code="restore_not_empty",
        )
    files = file_hashes(root)
    if files:
        raise Refused(
            f"the uploads folder {root} holds {len(files)} files; restore into an empty "
            "folder, or pass --force to replace them",
            code="restore_not_empty",
        )


def _row_counts() -> dict[str, int]:
    quote = connection.ops.quote_name
    counts = {}
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT COUNT(*) FROM {quote(table)}")  # noqa: S608 - a real table
            counts[table] = cursor.fetchone()[0]
    return counts


def _restore_database(database: Path, *, force: bool) -> None:
    if connection.vendor == "sqlite":
        name = str(connection.settings_dict["NAME"])
        connection.close()
        with sqlite3.connect(database) as source, sqlite3.connect(name) as target:
            source.backup(target)  # replaces every page of the target, WAL-safe
        source.close()
        target.close()
        return
    connection.close()
    options = ["--clean", "--if-exists"] if force else []
    _postgres(
        "pg_restore",
        "--exit-on-error",
        "--single-transaction",
        *options,
        f"--dbname={connection.settings_dict['NAME']}",
        str(database),
    )


def _restore_uploads(source: Path, root: Path) -> None:
    if root.exists():
        for child in root.iterdir():
            shutil.rmtree(child) if child.is_dir() else child.unlink()
    root.mkdir(parents=True, exist_ok=True)
    for path in sorted(source.rglob("*")) if source.exists() else ():
        relative = PurePosixPath(path.relative_to(source).as_posix())
        destination = root / relative
        if path.is_dir():
            destination.mkdir(mode=0o700, exist_ok=True)
        else:
            destination.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            shutil.copyfile(path, destination)
            destination.chmod(0o600)


def _postgres(program: str, *args: str) -> None:
    """Run a PostgreSQL client with the connection in PG* variables, never on the command line."""
    settings = connection.settings_dict
    env = {**os.environ, "PGCONNECT_TIMEOUT": "10"}
    for key, variable in (
        ("HOST", "PGHOST"),
        ("PORT", "PGPORT"),
        ("USER", "PGUSER"),
        ("PASSWORD", "PGPASSWORD"),
    ):
        if settings.get(key):
            env[variable] = str(settings[key])
    if sslmode := settings.get("OPTIONS", {}).get("sslmode"):
        env["PGSSLMODE"] = sslmode
    try:
        subprocess.run(  # noqa: S603 - a fixed program; the arguments are ours
            [program, "--no-password", *args], env=env, check=True, capture_output=True, text=True
        )
    except FileNotFoundError:
        raise Refused(
            f"{program} is not installed: install the PostgreSQL client",
            code="backup_client_missing",
        ) from None
    except subprocess.CalledProcessError as error:
        raise Refused(
            f"{program} failed: {error.stderr.strip()}", code="backup_client_failed"
        ) from None
