"""The national Jeugdwet executor in columns (polars), one module per rule step; its entry
point and public names are :mod:`wpb.batch.engine`."""
