-- Conversation memory (one row per conversation, any channel) and the turn log (one row per citizen message).
-- Neither holds raw personal data: texts are redacted before they are written.
CREATE TABLE conversations (
  id                text PRIMARY KEY,          -- channel-scoped id, e.g. "telegram:123456"
  channel           text NOT NULL,
  -- the procedure under discussion and the aspect last asked about, for follow-ups
  current_procedure text,
  last_aspect       text,
  language          text NOT NULL DEFAULT 'vi',
  -- options offered by the last clarifying question: [{ "id": "proc:1.001193", "label": "..." }]
  pending_choices   jsonb NOT NULL DEFAULT '[]'::jsonb,
  -- state of a guided flow or handover, owned by the conversation engine
  flow              jsonb NOT NULL DEFAULT '{}'::jsonb,
  created_at        timestamptz NOT NULL DEFAULT now(),
  updated_at        timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE turns (
  id               bigserial PRIMARY KEY,
  conversation_id  text NOT NULL,
  channel          text NOT NULL,
  created_at       timestamptz NOT NULL DEFAULT now(),
  text_redacted    text NOT NULL,
  label            text NOT NULL,
  outcome          text NOT NULL,
  aspect           text,
  language         text NOT NULL,
  procedure_codes  text[] NOT NULL DEFAULT '{}',
  -- top retrieval scores in rank order, and the search's confidence in the first
  retrieval_scores real[] NOT NULL DEFAULT '{}',
  confidence       real,
  personal_data    text[] NOT NULL DEFAULT '{}',  -- kinds redacted (never the values)
  latency_ms       integer NOT NULL,
  llm_used         boolean NOT NULL DEFAULT false,
  llm_fallback     text                           -- why an LLM answer was replaced, when it was
);
CREATE INDEX turns_conversation ON turns (conversation_id, id);
CREATE INDEX turns_created ON turns (created_at);
