"""PostgreSQL grants for the application's database role (docs/security.md, "Database grants").

Migrations run as the database owner; the application (gunicorn, Celery) connects as a separate
login role that may read and write every table except the audit trail, where it may only read and
append: no UPDATE, DELETE or TRUNCATE on ``audit_auditevent``. Because the application role does
not own the tables, these grants bind it (an owner could grant itself anything back).
"""

from __future__ import annotations

from psycopg2 import sql

APPEND_ONLY_TABLES = ("audit_auditevent",)


def grant_statements(*, role: str, owner: str, database: str, password: str | None) -> list:
    """The statements, idempotent: creating the role (if missing) and setting its grants."""
    r, o, db = sql.Identifier(role), sql.Identifier(owner), sql.Identifier(database)
    statements = [
        sql.SQL("DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = {name}) THEN "
                "CREATE ROLE {role} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT; END IF; END $$")
        .format(name=sql.Literal(role), role=r),
    ]
    if password:
        statements.append(sql.SQL("ALTER ROLE {} PASSWORD {}").format(r, sql.Literal(password)))
    statements += [
        sql.SQL("GRANT CONNECT ON DATABASE {} TO {}").format(db, r),
        sql.SQL("GRANT USAGE ON SCHEMA public TO {}").format(r),
        sql.SQL("REVOKE CREATE ON SCHEMA public FROM {}").format(r),
        sql.SQL("GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {}").format(r),
        sql.SQL("GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {}").format(r),
        # tables a later migration creates get the same grants (re-run this after migrating anyway)
        sql.SQL("ALTER DEFAULT PRIVILEGES FOR ROLE {} IN SCHEMA public "
                "GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {}").format(o, r),
        sql.SQL("ALTER DEFAULT PRIVILEGES FOR ROLE {} IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO {}")
        .format(o, r),
    ]
    for table in APPEND_ONLY_TABLES:
        statements += [
            sql.SQL("REVOKE UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON {} FROM {}").format(sql.Identifier(table), r),
            sql.SQL("GRANT SELECT, INSERT ON {} TO {}").format(sql.Identifier(table), r),
        ]
    return statements
