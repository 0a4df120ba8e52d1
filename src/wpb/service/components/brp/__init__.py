"""The per-tenant BRP document store: BRP data kept by, and only for, the organisation that
fetched or attached it (issue 19, item 1)."""
