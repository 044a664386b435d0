"""Open Badges 3.0 credentials: offline JSON-LD, eddsa-rdfc-2022 proofs, keys, status lists.

Everything here works without a network: JSON-LD contexts ship in ``learning/contexts/``, keys
live under ``settings.VAR_DIR`` and the only keys resolved are ours and ``did:key`` ones.
"""
