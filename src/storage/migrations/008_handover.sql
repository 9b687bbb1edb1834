-- Handover to staff: one ticket per request (at most one open per conversation), and the log of what happens to
-- it (transcript and changes, redacted), which the staff desks read after their stored cursors.
CREATE TABLE tickets (
  id                        bigserial PRIMARY KEY,
  conversation_id           text NOT NULL,
  channel                   text NOT NULL,
  chat_id                   text NOT NULL,
  status                    text NOT NULL DEFAULT 'waiting' CHECK (status IN ('waiting', 'with_staff', 'closed')),
  reason                    text NOT NULL,
  procedure_code            text,
  summary                   text NOT NULL DEFAULT '',
  owner_id                  bigint REFERENCES users (id),
  end_status                text,
  after_hours               boolean NOT NULL DEFAULT false,
  -- the callback number is kept only here, given with the citizen's consent, and erased after closing
  callback_requested        boolean NOT NULL DEFAULT false,
  callback_phone            text,
  callback_consent_at       timestamptz,
  callback_erase_after      timestamptz,
  flagged                   boolean NOT NULL DEFAULT false,
  -- the queue position the citizen was last told, to tell them again when it changes
  told_position             integer,
  telegram_thread_id        bigint,
  telegram_card_message_id  bigint,
  created_at                timestamptz NOT NULL DEFAULT now(),
  claimed_at                timestamptz,
  closed_at                 timestamptz
);
CREATE UNIQUE INDEX tickets_one_open ON tickets (conversation_id) WHERE status <> 'closed';
CREATE INDEX tickets_status ON tickets (status, created_at);

CREATE TABLE ticket_events (
  id          bigserial PRIMARY KEY,
  ticket_id   bigint NOT NULL REFERENCES tickets (id),
  kind        text NOT NULL,
  actor_id    bigint REFERENCES users (id),
  text        text,
  data        jsonb NOT NULL DEFAULT '{}'::jsonb,
  -- the platform update or console request this came from, so a retried one is stored once
  source_key  text UNIQUE,
  created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX ticket_events_ticket ON ticket_events (ticket_id, id);

-- How far each staff desk (the Telegram group, …) has posted the events.
CREATE TABLE desk_cursors (
  desk           text PRIMARY KEY,
  last_event_id  bigint NOT NULL DEFAULT 0,
  updated_at     timestamptz NOT NULL DEFAULT now()
);

-- The outbox carries staff and system messages too: they belong to no inbound update. `kind` tells the engine
-- which may go out while a staff member owns the conversation (bot replies may not).
ALTER TABLE outbound_messages ALTER COLUMN inbound_id DROP NOT NULL;
ALTER TABLE outbound_messages ADD COLUMN kind text NOT NULL DEFAULT 'bot';
ALTER TABLE outbound_messages ADD COLUMN source_key text UNIQUE;
