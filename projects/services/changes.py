"""Agreement changes (협약변경, SPEC §16)."""
