-- What the commune's admins add to the national listing from the knowledge-gaps report, kept apart from imports
-- (an import never touches these tables) and never deleted: removing one sets removed_at, so the audit log and the
-- table keep what the bot read at any time.

-- The citizens' words for a procedure ("bán hàng online" → 1.001612): read by retrieval as the vocabulary's own
-- synonyms are. `phrase_folded` is the phrase as retrieval compares it (lowercase, diacritics removed).
CREATE TABLE local_vocabulary (
  id             bigserial PRIMARY KEY,
  phrase         text NOT NULL,
  phrase_folded  text NOT NULL,
  code           text NOT NULL,
  created_by     text NOT NULL,
  created_at     timestamptz NOT NULL DEFAULT now(),
  removed_by     text,
  removed_at     timestamptz
);
CREATE UNIQUE INDEX local_vocabulary_active ON local_vocabulary (phrase_folded, code) WHERE removed_at IS NULL;

-- A staff-written answer to something the listing does not cover ("Trung tâm có chỗ gửi xe máy không?"), given
-- when a citizen's message is close to one of its examples, and cited as the commune's, not the national listing's.
CREATE TABLE local_answers (
  id             bigserial PRIMARY KEY,
  topic          text NOT NULL,
  examples       text[] NOT NULL,
  answer         text NOT NULL,
  created_by     text NOT NULL,
  created_at     timestamptz NOT NULL DEFAULT now(),
  removed_by     text,
  removed_at     timestamptz
);
