"""Data sets the course generates itself (deterministic, seeded); notebooks read committed copies."""
