"""Services: queries and rules, one module per domain.

Resource services sit at the top; `editorial/` holds writes, workflow and
the editorial record, `delivery/` what the public reads are built from
(search, sync, the rendered-document store), `transfer/` export, import and
the seed. Nothing here connects itself to anything when imported:
`app.wiring` connects the content subscribers to a database's sessions.
"""
