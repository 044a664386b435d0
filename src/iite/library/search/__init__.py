"""Full-text search over the library: one function, an SQLite FTS5 and a PostgreSQL backend."""
