"""Anti-fraud (风控): device fingerprints, behaviour rules and the review queue.

``rules`` and ``fingerprint`` are pure Python (no Django: dataclasses in and out); the
rest records what the rules read and what staff decide."""
