-- Full text per procedure over its title (weight A) and the citizens' names for it (weight B). Searching the
-- chunks' own tsvector for candidates made PostgreSQL read every chunk's long text, and agency names and results
-- made common words match most procedures; chunk tsvectors now serve to find which sections of the top
-- procedures match.
ALTER TABLE procedures ADD COLUMN search_tsv tsvector NOT NULL DEFAULT ''::tsvector;
CREATE INDEX procedures_search_tsv ON procedures USING gin (search_tsv);
