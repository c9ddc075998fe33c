"""Webhook delivery: signing, target checks, sending and the background worker.

Deliveries are queued by app.services.webhook_outbox inside each content
change's transaction; this package sends them.
"""
