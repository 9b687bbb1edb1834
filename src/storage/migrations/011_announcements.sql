-- Announcements (issue 11 §5): who opted in, what an admin wrote, and one delivery record per recipient.

-- One row per conversation that was offered the choice or answered it. No row, or subscribed = false: nobody sends
-- it anything. offered_at makes the choice offered once per conversation.
CREATE TABLE subscriptions (
  conversation_id text PRIMARY KEY,
  channel         text NOT NULL,
  chat_id         text NOT NULL,
  subscribed      boolean NOT NULL DEFAULT false,
  changed_at      timestamptz NOT NULL DEFAULT now(),
  -- the platform said the citizen blocked the bot; cleared when they opt in again
  blocked         boolean NOT NULL DEFAULT false,
  offered_at      timestamptz
);
CREATE INDEX subscriptions_audience ON subscriptions (channel) WHERE subscribed AND NOT blocked;

CREATE TABLE announcements (
  id              bigserial PRIMARY KEY,
  text            text NOT NULL,
  link            text,
  channels        text[] NOT NULL,
  -- null: everyone opted in on the channels; a code: only citizens with a dossier of that procedure
  procedure_code  text,
  status          text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'sending', 'sent')),
  created_by      text NOT NULL,
  created_at      timestamptz NOT NULL DEFAULT now(),
  sent_at         timestamptz
);

CREATE TABLE deliveries (
  id               bigserial PRIMARY KEY,
  announcement_id  bigint NOT NULL REFERENCES announcements (id) ON DELETE CASCADE,
  conversation_id  text NOT NULL,
  channel          text NOT NULL,
  chat_id          text NOT NULL,
  -- sending: claimed by a worker (claimed_at), the platform not yet answered
  status           text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sending', 'sent', 'failed', 'skipped', 'blocked')),
  attempts         integer NOT NULL DEFAULT 0,
  last_error       text,
  not_before       timestamptz NOT NULL DEFAULT now(),
  claimed_at       timestamptz,
  sent_at          timestamptz,
  UNIQUE (announcement_id, conversation_id)
);
CREATE INDEX deliveries_due ON deliveries (announcement_id, not_before, id) WHERE status = 'pending';
