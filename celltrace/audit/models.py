"""The audit chain's ledger and the security events log, both append-only."""

from django.db import models


class ChainEntry(models.Model):
    """One sealed row: its table, id and digest, chained to the entry before it.

    `hash` = SHA-256 of the previous entry's hash, this entry's `seq`, table, row id and
    digest (celltrace.audit.chain.link_hash): changing, removing or adding any row breaks a
    link that `celltrace audit verify` walks.
    """

    seq = models.BigIntegerField(unique=True)
    table = models.CharField(max_length=100)
    row_id = models.BigIntegerField()
    # The columns the digest covers (a ChainLayout's key): a column added to the table later
    # leaves the rows sealed before it verifiable.
    layout = models.CharField(max_length=16)
    digest = models.CharField(max_length=64)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["table", "row_id"], name="audit_chain_one_entry_a_row")
        ]

    def __str__(self):
        return f"#{self.seq} {self.table} {self.row_id}"


class ChainLayout(models.Model):
    """The columns of an audit table at a time: what the digests sealed under `key` cover."""

    key = models.CharField(max_length=16, unique=True)
    table = models.CharField(max_length=100)
    columns = models.TextField(help_text="comma-separated, in the table's order")

    def __str__(self):
        return f"{self.table} ({self.key})"


class SecurityEvent(models.Model):
    """A sign-in, sign-out, failed sign-in, refused access or export: who, when, from where."""

    class Kind(models.TextChoices):
        SIGNED_IN = "signed_in", "signed in"
        SIGNED_OUT = "signed_out", "signed out"
        SIGN_IN_FAILED = "sign_in_failed", "sign-in failed"
        REFUSED = "refused", "access refused"
        EXPORTED = "exported", "exported or downloaded"

    at = models.DateTimeField()
    kind = models.CharField(max_length=20, choices=Kind.choices)
    # The account as text and id, not a foreign key: an append-only row cannot follow a
    # deleted account, and a failed sign-in may name no account at all.
    username = models.CharField(max_length=150, blank=True)
    user_id = models.BigIntegerField(null=True, blank=True)
    address = models.CharField(max_length=45, blank=True)
    method = models.CharField(max_length=10, blank=True)
    path = models.CharField(max_length=500, blank=True)
    detail = models.CharField(max_length=500, blank=True)

    class Meta:
        indexes = [models.Index(fields=["kind", "at"])]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.kind} {self.username}"
