"""The FHIR R4 directory export: plain-dict builders, no FHIR library at runtime.

See docs/fhir.md for the mapping from our content to FHIR resources.
"""

FHIR_PREFIX = "/fhir/"
FHIR_BASE_PATH = "/fhir/r4"
FHIR_VERSION = "4.0.1"
FHIR_MEDIA_TYPE = "application/fhir+json"
