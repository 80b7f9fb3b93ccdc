"""Sessions and the generic row operations ``Connection`` is built from.

Every resource table is read and written the same way: visibility is scoped
by project, lists are paginated by a marker row, one row is found by id, uuid
or name, and writes translate oslo.db's errors into magnum's. Those rules live
here once; ``api.py`` binds them to each table.

Sessions come from one oslo.db enginefacade context, configured from
``[database]`` on first use; ``use_engine`` swaps the engine (tests, tools).
"""

from __future__ import annotations

import contextlib
import datetime
import os
import threading
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from oslo_db import exception as db_exc
from oslo_db.sqlalchemy import enginefacade, orm
from oslo_utils import uuidutils
from sqlalchemy import Engine, Select, and_, case, delete, event, false, or_, select, true, update
from sqlalchemy import exc as sqla_exc
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

import magnum.conf
from magnum.common import exception
from magnum.db.sqlalchemy import models

_CONTEXT = threading.local()
main_context = enginefacade.transaction_context()


@event.listens_for(Engine, "handle_error", insert=True)
def _failed_connects_are_connection_errors(context: Any) -> None:
    # NOTE: oslo.db translates only some connect failures into
    # DBConnectionError (its PostgreSQL pattern predates libpq 14's wording;
    # refused credentials and unknown databases stay raw OperationalErrors).
    # Every failure to open a connection is one, so callers (magnum-db-manage,
    # service start-up) can report "cannot reach the database" and oslo.db's
    # start-up retries apply alike on every backend.
    if context.connection is None and isinstance(
        context.sqlalchemy_exception, sqla_exc.OperationalError
    ):
        raise db_exc.DBConnectionError(context.sqlalchemy_exception)


@event.listens_for(Engine, "do_connect")
def _bounded_waits(dialect: Any, conn_rec: Any, cargs: Any, cparams: dict) -> None:
    # Without these a stopped database hangs a connect for the kernel's TCP
    # timeout and a frozen one (SIGSTOP) hangs a query forever.
    conf = magnum.conf.CONF.database
    if dialect.driver == "pymysql":
        cparams.setdefault("connect_timeout", conf.connect_timeout)
        cparams.setdefault("read_timeout", conf.statement_timeout)
        cparams.setdefault("write_timeout", conf.statement_timeout)
        # The schema is utf8mb4, but PyMySQL talks 3-byte utf8 (or latin1)
        # unless the URL says charset=utf8mb4: a 4-byte character in a query
        # then mixes collations and fails as a 500. Whatever the URL says.
        cparams["charset"] = "utf8mb4"
    elif dialect.driver == "psycopg2":
        # Server-side: bounds slow statements and lock waits, not a frozen server.
        cparams.setdefault("connect_timeout", conf.connect_timeout)
        options = cparams.get("options", "")
        cparams["options"] = f"{options} -c statement_timeout={conf.statement_timeout * 1000}"


def reader() -> Any:
    """A read-only session, committed (or rolled back) at the end of the block."""
    return main_context.reader.using(_CONTEXT)


@contextlib.contextmanager
def writer() -> Iterator[Session]:
    """A read-write session, committed at the end of the block."""
    with main_context.writer.using(_CONTEXT) as session:
        if session.get_bind().dialect.name == "sqlite":
            # pysqlite opens a transaction only at the first write, so the
            # reads before it would run unlocked and two writers could act on
            # the same stale read. A write first takes SQLite's single write
            # lock (waiting up to the busy timeout) for the whole block.
            session.execute(
                update(models.MagnumService)
                .where(false())
                .values(report_count=models.MagnumService.report_count)
                .execution_options(synchronize_session=False)
            )
        yield session


def get_engine() -> Engine:
    """The writer engine, created from ``[database]`` on first use."""
    if not main_context.is_started:
        _make_sqlite_directory(magnum.conf.CONF.database.connection)
    return main_context.writer.get_engine()


def _make_sqlite_directory(url: str | None) -> None:
    # The embedded default lives under state_path, which may not exist yet on
    # a fresh machine; SQLite creates the file but not its directory.
    if not url:
        return
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
        os.makedirs(os.path.dirname(os.path.abspath(parsed.database)), exist_ok=True)


def use_engine(engine: Engine) -> Callable[[], None]:
    """Route every session to ``engine``; returns a callable that undoes it.

    ``engine`` should come from ``oslo_db.sqlalchemy.engines.create_engine``
    so that driver errors are translated into oslo.db exceptions.
    """
    maker = orm.get_maker(engine=engine, expire_on_commit=False)
    factory = enginefacade._TestTransactionFactory(
        engine, maker, apply_global=False, from_factory=main_context._factory
    )
    return main_context.patch_factory(factory)


def display_name(model: type[models.Base]) -> str:
    """The resource name used in error messages ("ClusterTemplate")."""
    return model.__name__


def naive_utc(values: Mapping[str, Any]) -> dict[str, Any]:
    """Copy of ``values`` with aware datetimes turned into naive UTC.

    Objects hold aware datetimes; columns store naive UTC on every backend.
    """
    result = dict(values)
    for key, value in result.items():
        if isinstance(value, datetime.datetime) and value.tzinfo is not None:
            result[key] = value.astimezone(datetime.UTC).replace(tzinfo=None)
    return result


def ident_clause(model: type[models.Base], ident: int | str) -> Any:
    """WHERE clause for an integer id (or its digits) or a uuid."""
    if isinstance(ident, int) or (isinstance(ident, str) and ident.isdigit()):
        return model.id == int(ident)
    return model.uuid == ident


# --- visibility and filters -------------------------------------------------


def scope(stmt: Select, model: type[models.Base], context: Any) -> Select:
    """Restrict ``stmt`` to the rows ``context`` may see.

    ``None`` is the conductor's own access and, like ``all_projects``, sees
    everything. Cluster templates that are public are visible to all
    projects, except hidden ones, which only admins see.
    """
    if context is None or getattr(context, "all_projects", False):
        return stmt
    if context.project_id or not hasattr(model, "user_id"):
        owned = model.project_id == context.project_id
    else:
        # A token without a project (noauth tooling) owns what its user made.
        owned = model.user_id == context.user_id
    if model is models.ClusterTemplate:
        shared = model.public == true()
        if not context.is_admin:
            shared = and_(shared, or_(model.hidden.is_(None), model.hidden == false()))
        return stmt.where(or_(owned, shared))
    return stmt.where(owned)


def apply_filters(stmt: Select, model: type[models.Base], filters: Mapping | None) -> Select:
    """Equality filters on columns; a list means IN, None means IS NULL."""
    for key, value in (filters or {}).items():
        if key not in model.__table__.columns:
            raise exception.InvalidParameterValue(
                err=f'"{key}" is not a valid filter for {display_name(model)}'
            )
        column = getattr(model, key)
        if isinstance(value, (list, tuple, set, frozenset)):
            stmt = stmt.where(column.in_(list(value)))
        elif value is None:
            stmt = stmt.where(column.is_(None))
        else:
            stmt = stmt.where(column == value)
    return stmt


# --- reads --------------------------------------------------------------------


def get_one(
    model: type[models.Base],
    context: Any,
    column: str,
    value: Any,
    filters: Mapping | None = None,
) -> Any:
    """The visible row whose ``column`` equals ``value``, or ResourceNotFound."""
    stmt = scope(select(model), model, context).where(getattr(model, column) == value)
    stmt = apply_filters(stmt, model, filters)
    with reader() as session:
        row = session.scalars(stmt).first()
    if row is None:
        raise exception.ResourceNotFound(resource=display_name(model), ident=value)
    return row


def get_by_name(
    model: type[models.Base], context: Any, name: str, filters: Mapping | None = None
) -> Any:
    """The one visible row named ``name``; AmbiguousName when several are."""
    stmt = scope(select(model), model, context).where(model.name == name)
    stmt = apply_filters(stmt, model, filters).limit(2)
    with reader() as session:
        rows = session.scalars(stmt).all()
    if not rows:
        raise exception.ResourceNotFound(resource=display_name(model), ident=name)
    if len(rows) > 1:
        raise exception.AmbiguousName(resource=display_name(model))
    return rows[0]


def list_rows(
    model: type[models.Base],
    context: Any,
    filters: Mapping | None = None,
    limit: int | None = None,
    marker: Any = None,
    sort_key: str | None = None,
    sort_dir: str | None = None,
    marker_column: str = "uuid",
) -> list[Any]:
    """One page of visible rows, after the row whose ``marker_column`` is ``marker``."""
    sort_key = sort_key or "id"
    sort_dir = sort_dir or "asc"
    if sort_dir not in ("asc", "desc"):
        raise exception.InvalidParameterValue(
            err=f'Invalid sort direction: {sort_dir}. Acceptable values are "asc" or "desc"'
        )
    if sort_key not in model.__table__.columns:
        raise exception.InvalidParameterValue(
            err=f'The sort_key value "{sort_key}" is an invalid field for sorting'
        )
    base = scope(select(model), model, context)
    with reader() as session:
        stmt = apply_filters(base, model, filters)
        stmt = stmt.order_by(*_ordering(model, sort_key, sort_dir))
        if marker is not None:
            marker_row = session.scalars(
                base.where(getattr(model, marker_column) == marker)
            ).first()
            if marker_row is None:
                raise exception.ResourceNotFound(resource=display_name(model), ident=marker)
            stmt = stmt.where(_after(model, sort_key, sort_dir, marker_row))
        if limit is not None:
            stmt = stmt.limit(limit)
        return list(session.scalars(stmt).all())


def _ordering(model: type[models.Base], sort_key: str, sort_dir: str) -> Iterator[Any]:
    # NULL sorts as the smallest value on every backend (PostgreSQL would put
    # it last in ascending order), so pages are the same on all three.
    column = getattr(model, sort_key)
    if sort_key != "id":
        nulls = case((column.is_(None), 0), else_=1)
        yield nulls.asc() if sort_dir == "asc" else nulls.desc()
        yield column.asc() if sort_dir == "asc" else column.desc()
    yield model.id.asc() if sort_dir == "asc" else model.id.desc()


def _after(model: type[models.Base], sort_key: str, sort_dir: str, marker_row: Any) -> Any:
    """Rows strictly after ``marker_row`` in (sort_key, id) order."""
    column, id_column = getattr(model, sort_key), model.id
    marker_id = marker_row.id
    if sort_key == "id":
        return id_column > marker_id if sort_dir == "asc" else id_column < marker_id
    value = getattr(marker_row, sort_key)
    if sort_dir == "asc":
        if value is None:
            return or_(column.is_not(None), and_(column.is_(None), id_column > marker_id))
        return or_(column > value, and_(column == value, id_column > marker_id))
    if value is None:
        return and_(column.is_(None), id_column < marker_id)
    return or_(column < value, and_(column == value, id_column < marker_id), column.is_(None))


# --- writes -------------------------------------------------------------------


def already_exists(model: type[models.Base], values: Mapping, error: Any) -> Exception:
    """AlreadyExists naming the column a DBDuplicateEntry hit."""
    columns = [c.rsplit(".", 1)[-1] for c in (error.columns or [])]
    field = columns[-1] if columns else "uuid"
    value = values.get(field, error.value)
    return exception.AlreadyExists(resource=display_name(model), field=field, value=value)


def create_row(model: type[models.Base], values: Mapping[str, Any]) -> Any:
    """Insert one row (a uuid is generated when the table has one and none is given)."""
    values = naive_utc(values)
    if "uuid" in model.__table__.columns and not values.get("uuid"):
        values["uuid"] = uuidutils.generate_uuid()
    row = model(**values)
    try:
        with writer() as session:
            session.add(row)
    except db_exc.DBDuplicateEntry as error:
        raise already_exists(model, values, error) from error
    return row


def add_row(session: Session, model: type[models.Base], values: Mapping[str, Any]) -> Any:
    """Like ``create_row`` inside a caller's session; duplicates surface at flush."""
    values = naive_utc(values)
    if "uuid" in model.__table__.columns and not values.get("uuid"):
        values["uuid"] = uuidutils.generate_uuid()
    row = model(**values)
    session.add(row)
    try:
        session.flush()
    except db_exc.DBDuplicateEntry as error:
        raise already_exists(model, values, error) from error
    return row


def update_row(model: type[models.Base], where: Any, ident: Any, values: Mapping) -> Any:
    """Apply ``values`` to the row matching ``where``; ResourceNotFound if none."""
    values = naive_utc(values)
    name = display_name(model)
    for key in values:
        if key not in model.__table__.columns:
            raise exception.InvalidParameterValue(err=f'"{key}" is not a field of {name}')
    if "id" in values:
        raise exception.InvalidParameterValue(err=f"Cannot overwrite the id of a {name}.")
    try:
        with writer() as session:
            row = session.scalars(select(model).where(where).with_for_update()).first()
            if row is None:
                raise exception.ResourceNotFound(resource=name, ident=ident)
            if "uuid" in values and values["uuid"] != row.uuid:
                raise exception.InvalidParameterValue(
                    err=f"Cannot overwrite the uuid of a {name}."
                )
            for key, value in values.items():
                setattr(row, key, value)
            session.flush()
    except db_exc.DBDuplicateEntry as error:
        raise already_exists(model, values, error) from error
    return row


def destroy_row(model: type[models.Base], where: Any, ident: Any) -> None:
    """Delete the row matching ``where``; ResourceNotFound if there was none."""
    with writer() as session:
        deleted = session.execute(delete(model).where(where)).rowcount
    if not deleted:
        raise exception.ResourceNotFound(resource=display_name(model), ident=ident)


# --- Connection methods of one table -------------------------------------------
# Each factory returns a function that api.Connection binds as a method, so
# every table gets the same list/get/create/update/destroy behaviour.


def lister(model: type[models.Base]) -> Callable[..., list[Any]]:
    def get_list(
        self: Any,
        context: Any,
        filters: Mapping | None = None,
        limit: int | None = None,
        marker: str | None = None,
        sort_key: str | None = None,
        sort_dir: str | None = None,
    ) -> list[Any]:
        return list_rows(model, context, filters, limit, marker, sort_key, sort_dir)

    return get_list


def getter(model: type[models.Base], column: str) -> Callable[..., Any]:
    def get(self: Any, context: Any, value: Any, /, filters: Mapping | None = None) -> Any:
        if column == "name":
            return get_by_name(model, context, value, filters)
        return get_one(model, context, column, value, filters)

    return get


def creator(model: type[models.Base]) -> Callable[..., Any]:
    def create(self: Any, values: Mapping[str, Any]) -> Any:
        return create_row(model, values)

    return create


def updater(model: type[models.Base]) -> Callable[..., Any]:
    def update_(self: Any, ident: int | str, values: Mapping[str, Any]) -> Any:
        return update_row(model, ident_clause(model, ident), ident, values)

    return update_


def destroyer(model: type[models.Base]) -> Callable[..., None]:
    def destroy(self: Any, ident: int | str) -> None:
        destroy_row(model, ident_clause(model, ident), ident)

    return destroy
