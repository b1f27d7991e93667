"""The store's backends, behind `store.Store` (the one interface the rest of the code uses).

- `common.py`: what both backends share: record kinds, errors, the searchable text of a record, the ranking.
- `workspace.py`: the workspace reads and the search, written once over a few backend hooks.
- `sqlite.py`: the embedded default (state.db and an attached workspace; FTS5 for search).
- `postgres.py`: a store several hosts share (PostgreSQL, psycopg 3; full-text search with tsvector and GIN).
- `files.py`: workspace files (JSON): read, validate, name the record and field of each problem.
"""
