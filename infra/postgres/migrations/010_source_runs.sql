-- Built-in integration workers (issue 12, points 4-5; docs/adr/021-integration-workers.md).
-- source_leases: which worker runs a source, until when (expiring, renewed while it runs; a dead
-- worker's lease lapses and another takes the source over). source_runs: the status shown over
-- REST and the CLI, and each kind's cursor (an RSS feed's conditional-GET validators). source_items: every external item id a
-- source has posted, so that a restart or a takeover never posts one twice.
CREATE TABLE source_leases (
  source_id bigint PRIMARY KEY REFERENCES sources(id) ON DELETE CASCADE,
  holder text NOT NULL,
  expires_at timestamptz NOT NULL
);

CREATE TABLE source_runs (
  source_id bigint PRIMARY KEY REFERENCES sources(id) ON DELETE CASCADE,
  last_run_at timestamptz,
  last_success_at timestamptz,
  last_error text,
  next_run_at timestamptz,
  items_posted bigint NOT NULL DEFAULT 0,
  failures integer NOT NULL DEFAULT 0,
  -- Where the kind left off: an RSS feed's ETag and Last-Modified; another kind's own.
  cursor jsonb
);

CREATE TABLE source_items (
  source_id bigint NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
  external_id text NOT NULL,
  posted_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (source_id, external_id)
);
