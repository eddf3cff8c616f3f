"""The database: everything that opens, shapes or writes it, and no figure of its own.

- db.py: the one way to open it read-only (a connection for commands, a snapshot for the app,
  with one set of error texts), a new database or a changed copy renamed into place,
  and the upgrade of a database made by an earlier version.
- writes.py: the importers' way in: a copy of the database (or a new one) that replaces it only
  when the whole import has worked.
- queries.py: runs SQL files with $name parameters: the pages' queries (queries/ at the top of
  the repository) and the importers' statements (sql/ here, by the layer that runs them).
- schema/*.sql: the tables and views; 05 onwards can run again on any database, and
  08_macros.sql writes the rules every query shares (an LSOA's district and area, a rate per
  1,000 residents) once.
"""
