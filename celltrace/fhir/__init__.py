"""FHIR R4 views of the clinic's records: mappings, the read API and the bulk export.

Every resource is built by one mapping (`mappings/<resource>.py`) from rows the queries of
`records.py` load in bounded batches, and validated against the R4B models of fhir.resources
(the R4 elements only; docs/fhir.md says why). The API (`views.py`) and the export
(`export.py`) read the same records through the same access rules as every other door.
"""
