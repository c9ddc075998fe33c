"""Services: queries and rules, one module per domain.

Importing the package registers the content-changed subscribers, so no
write path (API, seed, CLI) can run without its revisions and audit trail.
"""

from app.services import history as history
