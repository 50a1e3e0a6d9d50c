"""Server use cases, each a function over a session; routers, the importer and the seeder share them.

Callers own the transaction (`Database.session_scope(write=True)`, or `run_write` to retry on deadlocks).
"""
