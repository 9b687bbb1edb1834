-- Knowledge base: procedures, their section chunks, and per-model embeddings.
CREATE EXTENSION IF NOT EXISTS vector;
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE EXTENSION IF NOT EXISTS unaccent;

-- unaccent() is only STABLE; an IMMUTABLE wrapper lets it appear in indexes.
CREATE OR REPLACE FUNCTION f_unaccent(text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
  AS $$ SELECT public.unaccent('public.unaccent'::regdictionary, $1) $$;

CREATE TABLE procedures (
  code          text PRIMARY KEY,
  title         text NOT NULL,
  -- lowercase, diacritics folded (đ → d); computed by the application's normaliser
  title_folded  text NOT NULL,
  levels        text[] NOT NULL,
  is_commune    boolean NOT NULL,
  field         text,
  url           text NOT NULL,
  record        jsonb NOT NULL,
  content_hash  text NOT NULL,
  updated_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX procedures_title_trgm ON procedures USING gin (title_folded gin_trgm_ops);

CREATE TABLE chunks (
  id            text PRIMARY KEY,            -- "<code>#<section>"
  code          text NOT NULL REFERENCES procedures (code) ON DELETE CASCADE,
  section       text NOT NULL,
  body          text NOT NULL,               -- as the citizen would read it
  folded        text NOT NULL,               -- normalised text for full-text search
  tsv           tsvector NOT NULL,
  content_hash  text NOT NULL
);
CREATE INDEX chunks_code ON chunks (code);
CREATE INDEX chunks_tsv ON chunks USING gin (tsv);

-- One row per (chunk, embedding model): vectors of two models never mix.
CREATE TABLE chunk_embeddings (
  chunk_id      text NOT NULL REFERENCES chunks (id) ON DELETE CASCADE,
  model         text NOT NULL,
  content_hash  text NOT NULL,
  embedding     vector NOT NULL,
  PRIMARY KEY (chunk_id, model)
);
CREATE INDEX chunk_embeddings_model ON chunk_embeddings (model);

CREATE TABLE kb_meta (
  key    text PRIMARY KEY,
  value  text NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);
