-- The platform's own order of an update within its conversation (Telegram update_id, Zalo message time in ms, the
-- web page's counter): a conversation's pending updates are processed lowest first, so messages delivered
-- concurrently are answered in the order they were sent rather than the order their requests were stored. NULL when
-- the platform gave none (rows stored before this migration too): those go by arrival (id).
ALTER TABLE inbound_updates ADD COLUMN sequence bigint;
DROP INDEX inbound_updates_pending;
CREATE INDEX inbound_updates_pending ON inbound_updates (conversation_id, sequence NULLS FIRST, id) WHERE status = 'pending';
