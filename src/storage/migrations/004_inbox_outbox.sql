-- Every inbound platform update is stored before it is processed (and processed once: the unique key drops a
-- platform's re-delivery), and every reply is stored before it is sent, so a crash or restart resumes where it
-- stopped. A conversation lease keeps one conversation's updates in order across instances.
CREATE TABLE inbound_updates (
  id               bigserial PRIMARY KEY,
  channel          text NOT NULL,
  update_key       text NOT NULL,
  conversation_id  text NOT NULL,
  -- the channel-neutral event; its text is replaced by the redacted text once processed
  event            jsonb NOT NULL,
  status           text NOT NULL DEFAULT 'pending',   -- pending | done | failed
  attempts         integer NOT NULL DEFAULT 0,
  last_error       text,
  received_at      timestamptz NOT NULL DEFAULT now(),
  processed_at     timestamptz,
  UNIQUE (channel, update_key)
);
CREATE INDEX inbound_updates_pending ON inbound_updates (conversation_id, id) WHERE status = 'pending';

CREATE TABLE outbound_messages (
  id               bigserial PRIMARY KEY,
  inbound_id       bigint NOT NULL REFERENCES inbound_updates (id),
  conversation_id  text NOT NULL,
  channel          text NOT NULL,
  chat_id          text NOT NULL,
  seq              integer NOT NULL,
  message          jsonb NOT NULL,
  status           text NOT NULL DEFAULT 'pending',   -- pending | sent | failed
  attempts         integer NOT NULL DEFAULT 0,
  last_error       text,
  created_at       timestamptz NOT NULL DEFAULT now(),
  sent_at          timestamptz,
  UNIQUE (inbound_id, seq)
);
CREATE INDEX outbound_messages_pending ON outbound_messages (conversation_id, id) WHERE status = 'pending';

ALTER TABLE conversations ADD COLUMN lease_owner text;
ALTER TABLE conversations ADD COLUMN lease_until timestamptz;
