"""Learning paths and courses aligned to competency frameworks, and verifiable Open Badges 3.0."""
