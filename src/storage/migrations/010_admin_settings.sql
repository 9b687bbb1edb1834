-- Settings an admin edits in the console (the commune profile first), each a jsonb value under a key, overriding
-- the committed file it replaces (knowledge/commune-profile.json for `commune_profile`).
CREATE TABLE settings (
  key         text PRIMARY KEY,
  value       jsonb NOT NULL,
  updated_by  text,
  updated_at  timestamptz NOT NULL DEFAULT now()
);

-- Every value a setting has had, in order, so any of them can be restored. A null value stands for "none saved":
-- the committed file's values (the first row of a key, written with its first change, is the file's state).
CREATE TABLE settings_history (
  id          bigserial PRIMARY KEY,
  key         text NOT NULL,
  value       jsonb,
  created_by  text,
  created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX settings_history_key ON settings_history (key, id);
