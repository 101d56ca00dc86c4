"""The only package that speaks SQL: tables, queries, audit, unit of work, migrations."""
