"""The ORM models; importing this package registers every table on Base.metadata.

Every module of the package is imported below, so a new model file needs no
line here: its table is on Base.metadata (and so seen by migrations and the
schema tests) once the file exists. The names re-exported are for brevity.
"""

import importlib
import pkgutil

from models.administration_route import AdministrationRoute
from models.api_key import ApiKey, Role
from models.audit_event import AuditEvent
from models.base import Base, Status
from models.change_log import ChangeLog
from models.clinic import Clinic
from models.doctor import Doctor, DoctorLanguage, DoctorSpecialty
from models.faq import Faq, FaqTag
from models.media import Media, MediaKind
from models.organization import Organization
from models.rendered_document import RenderedDocument, RenderedDocumentTag, RenderedGeneration
from models.revision import Revision
from models.search_document import SearchDocument
from models.translation import Translation
from models.treatment import Treatment, TreatmentRoute
from models.treatment_type import TreatmentType
from models.webhook import DeliveryStatus, WebhookAttempt, WebhookDelivery, WebhookEndpoint

__all__ = [
    "AdministrationRoute",
    "ApiKey",
    "AuditEvent",
    "Base",
    "ChangeLog",
    "Clinic",
    "DeliveryStatus",
    "Doctor",
    "DoctorLanguage",
    "DoctorSpecialty",
    "Faq",
    "FaqTag",
    "Media",
    "MediaKind",
    "Organization",
    "RenderedDocument",
    "RenderedDocumentTag",
    "RenderedGeneration",
    "Revision",
    "Role",
    "SearchDocument",
    "Status",
    "Translation",
    "Treatment",
    "TreatmentRoute",
    "TreatmentType",
    "WebhookAttempt",
    "WebhookDelivery",
    "WebhookEndpoint",
]

for _module in pkgutil.iter_modules(__path__):
    importlib.import_module(f"{__name__}.{_module.name}")
