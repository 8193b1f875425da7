"""Notifications: per-company templates, the outbox, and the services that fill and send it.

Flow: a service that changes something (a pipeline move, an interview being scheduled) calls
a function of `services` inside its own transaction; that function renders the company's template
for each recipient and writes one `Notification` row per email, then enqueues one
`notifications_send_task` with all their ids on commit. The task claims the rows and sends each.
See `services.py` for how "sent exactly once" is guaranteed.
"""
