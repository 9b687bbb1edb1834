-- The admins' edits of the language data files shipped in knowledge/ (life events, the router's phrase lists):
-- every save is a new row holding the whole file as the bot reads it; the newest row of a file is in force. `data`
-- NULL is a reset: the shipped file is in force again (and follows the product's own updates). Rows are never
-- changed or deleted, so any earlier state can be restored (as a new row) and the audit log keeps before and after.
CREATE TABLE language_revisions (
  id             bigserial PRIMARY KEY,
  name           text NOT NULL,
  data           jsonb,
  action         text NOT NULL CHECK (action IN ('save', 'restore', 'reset')),
  restored_from  bigint REFERENCES language_revisions (id),
  created_by     text NOT NULL,
  created_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX language_revisions_by_name ON language_revisions (name, id DESC);
