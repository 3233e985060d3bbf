"""E-mail through an outbox table: queued in the same transaction as the change that
causes it, delivered by ``flask outbox send`` so that no message is lost when the mail
server is down."""
