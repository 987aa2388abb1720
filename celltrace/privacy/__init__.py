"""A patient's personal data: export it, erase the identity, purge what is kept too long.

docs/privacy.md says what each removes and what is kept, on which legal basis.
"""
