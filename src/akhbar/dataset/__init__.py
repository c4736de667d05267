"""The corpus as a dataset: rows, features, Parquet, the card, release files, loading, stats, exports."""
