-- Queries on every message and every poll that read a conversation's rows beyond the pending ones: the flood limit
-- counts a conversation's updates of the last minute; the web chat's updates, the handover's transcript and the
-- outbox of staff and system messages read a conversation's outbound messages by id. Without these they scan the
-- whole table, which grows with every message.
CREATE INDEX inbound_updates_conversation_received ON inbound_updates (conversation_id, received_at);
CREATE INDEX outbound_messages_conversation ON outbound_messages (conversation_id, id);
