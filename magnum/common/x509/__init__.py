"""The per-bay certificate authority: CA generation, issuance and CSR signing.

``operations`` makes keys and certificates; ``validator`` decides which
extensions of a user's CSR survive signing (spec section 7). Both work on PEM
strings so callers never handle ``cryptography`` objects.
"""
