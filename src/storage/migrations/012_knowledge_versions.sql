-- Versions of the knowledge base (issue 11 §1). Every version is a whole catalogue, one record per code; records are
-- stored once by content hash and shared by the versions that hold them, so a 10-procedure change adds 10 records.
-- Version 1 is the knowledge base as first indexed, written when the first import is made. Exactly one version is
-- active: the one the procedures/chunks tables were last indexed from.
CREATE TABLE knowledge_records (
  hash        text PRIMARY KEY,
  record      jsonb NOT NULL
);

CREATE TABLE knowledge_versions (
  id          bigserial PRIMARY KEY,
  -- the import applied to make it; null for version 1
  import_id   bigint,
  created_by  text,
  created_at  timestamptz NOT NULL DEFAULT now(),
  counts      jsonb NOT NULL,
  -- sha1 over its (code, record hash) pairs: what the index was built from, without reading the records
  content_hash text NOT NULL,
  -- version 1 only: md5 over the indexed procedures' (code, content hash) when it was written; while no import was
  -- ever applied, a different index (the committed file re-indexed by a deploy) rewrites version 1
  index_fingerprint text,
  active      boolean NOT NULL DEFAULT false
);
CREATE UNIQUE INDEX knowledge_versions_one_active ON knowledge_versions ((true)) WHERE active;

CREATE TABLE knowledge_version_items (
  version_id  bigint NOT NULL REFERENCES knowledge_versions (id) ON DELETE CASCADE,
  code        text NOT NULL,
  record_hash text NOT NULL REFERENCES knowledge_records (hash),
  PRIMARY KEY (version_id, code)
);

-- An uploaded file, read and compared with the version active then (base_version): nothing is applied until
-- POST …/apply. `records_gz`: the parsed records, gzip + base64 of JSON lines; `diff`: what applying would change.
-- status: previewed → applying → applied | failed.
CREATE TABLE knowledge_imports (
  id            bigserial PRIMARY KEY,
  created_by    text,
  created_at    timestamptz NOT NULL DEFAULT now(),
  format        text NOT NULL,
  origin        text NOT NULL,
  mode          text NOT NULL,
  base_version  bigint NOT NULL REFERENCES knowledge_versions (id),
  records_gz    text NOT NULL,
  diff          jsonb NOT NULL,
  summary       jsonb NOT NULL,
  errors        jsonb NOT NULL,
  status        text NOT NULL DEFAULT 'previewed',
  progress      jsonb,
  failure       text,
  version_id    bigint REFERENCES knowledge_versions (id),
  updated_at    timestamptz NOT NULL DEFAULT now()
);
