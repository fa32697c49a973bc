"""Sinks: the Parquet tables and the manifest a run leaves behind."""
