"""Signals news sends for others to act on (the story pipeline itself lives in publishing/pipeline.py)."""

from django.dispatch import Signal

# Sent by commands that run on their own or on a timer (`dateline ingest`, the serve scheduler,
# `publish_scheduled`) before their work: a chance to settle what a killed process left owed
# (the publishing app pays purges owed after a commit).
housekeeping = Signal()

# Sent by a bulk ingest (``dateline ingest --bulk``, wire/bulk.py) in the transaction that wrote
# ``pages``, new and live: what the story pipeline does for a publish, done once for all of them.
stories_published_in_bulk = Signal()

# Sent by news/fronts.py when an editor pins or unpins a story on ``front`` (the home page or a
# section front), in the pin's transaction: the front is shown anew.
front_changed = Signal()
