"""WSME wire types, one module per resource: the single source of the wire shape."""
