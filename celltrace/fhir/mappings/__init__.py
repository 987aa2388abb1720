"""One module per FHIR resource: a record of celltrace in, the resource's JSON (a dict) out.

The mappings read only what the queries of `celltrace/fhir/records.py` loaded (no query of
their own) and leave out empty elements, so what they write is what the record holds.
"""
