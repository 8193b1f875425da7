"""Notifications: per-company templates, the outbox, and the services that fill and send it.

Flow: a service that changes something (a pipeline move, an interview being scheduled) calls
a producer (`producers.py`) inside its own transaction; it renders the company's template
(`templates.py`) for each recipient and writes one `Notification` row per email (`outbox.py`), then
enqueues one `notifications_send_task` with all their ids on commit. The task claims the rows and
sends each (`delivery.py`, which explains how "sent exactly once" is guaranteed). `schedules.py`
installs the periodic tasks.
"""
