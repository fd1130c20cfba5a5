"""Matrix as a channel: the same ``SamverkanBot`` in Matrix rooms, over matrix-nio, split by concern.

- ``sync``: ``MatrixRunner``, the process's Matrix loop (long-polled ``/sync`` from the saved position).
- ``session``: logging in, the device, the access token and the key store; encryption housekeeping.
- ``events``: a sync's rooms as turns of the handler (invites, joining and leaving, messages, ✅ reactions).
- ``activities``: those turns as botbuilder activities; ``text``: the content of a reply (notice, HTML).
- ``adapter``: ``MatrixAdapter``, the botbuilder ``BotAdapter`` whose sends become room events.
- ``delivery``: ``MatrixDelivery``, the scheduler's way to speak first (opening a direct room if needed).

What the channel keeps in the database (the sync token, handled events) is ``storage.matrix_sync``'s.
Nothing is imported here, so ``bot.app`` loads matrix-nio only when Matrix is configured.
"""
