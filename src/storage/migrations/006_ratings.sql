-- Satisfaction ratings given through the assistant (not the official SIPAS survey): one per conversation episode,
-- on the official five levels (5 = Rất hài lòng … 1 = Rất không hài lòng), stored before the citizen is thanked.
-- An episode is a stretch of conversation about one procedure; ticket and staff are filled when a handover exists.
CREATE TABLE ratings (
  id              bigserial PRIMARY KEY,
  conversation_id text NOT NULL,
  channel         text NOT NULL,
  episode         text NOT NULL,
  level           smallint NOT NULL CHECK (level BETWEEN 1 AND 5),
  procedure_code  text,
  ticket_id       bigint,
  staff           text,
  comment         text,
  created_at      timestamptz NOT NULL DEFAULT now(),
  UNIQUE (conversation_id, episode)
);
CREATE INDEX ratings_created_at ON ratings (created_at);
