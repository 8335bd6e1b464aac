"""The analyses a student runs on a case: sourcing, coordination, consistency, claim reviews and hypotheses."""
