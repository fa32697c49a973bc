"""Deduplication: exact copies, then near-duplicate groups from MinHash signatures and LSH."""
