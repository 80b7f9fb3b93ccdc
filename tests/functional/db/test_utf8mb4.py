"""A MariaDB URL without ``charset=utf8mb4`` still stores and finds 4-byte UTF-8.

Runs on the machine's MariaDB (a throwaway database). Before the connect
listener in magnum.db.sqlalchemy.query set charset=utf8mb4, a lookup by a name holding an emoji
failed with "Illegal mix of collations" (a 500 from the API).
"""

from __future__ import annotations

from sqlalchemy import text

from magnum.db.sqlalchemy import query  # noqa: F401  (registers the connect listener)
from tests.fixtures import database


def test_a_url_without_charset_speaks_utf8mb4():
    url = database.make_database("mysql").replace("?charset=utf8mb4", "")
    engine = database.create_engine(url)
    try:
        with engine.begin() as conn:
            conn.execute(text("CREATE TABLE t (n VARCHAR(10)) CHARACTER SET utf8mb4"))
            conn.execute(text("INSERT INTO t VALUES (:n)"), {"n": "a\U0001f600"})
            assert conn.execute(text("SELECT @@character_set_connection")).scalar() == "utf8mb4"
            found = conn.execute(text("SELECT n FROM t WHERE n = :n"), {"n": "a\U0001f600"})
            assert found.scalars().all() == ["a\U0001f600"]
    finally:
        engine.dispose()
