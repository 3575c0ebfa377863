"""The open-data snapshot: JSON Lines export and idempotent import."""
