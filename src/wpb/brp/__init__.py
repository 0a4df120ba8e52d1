"""BRP input adapters: Haal Centraal JSON (and, later, GBA-V extracts) into core facts."""
