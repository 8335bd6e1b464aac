"""The case: its records and how they are read from a case folder, cross-checked, cached, and its exercise items."""
