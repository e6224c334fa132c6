-- Integration sources (spec §2.8, docs/adr/019-sources-and-flow-tokens.md). Numbered after the
-- ADR, not after 004: concurrent branches add 005+, and two files of one version would collide.
-- Only the flow token's SHA-256 is kept. A deleted source keeps its row (deleted_at) so that its
-- token answers 410, not 401. `type` and `config` are for the built-in integrations to come
-- (rss, twitter, imap: issue 12, points 3+); both are null for push sources.
CREATE TABLE sources (
  id bigserial PRIMARY KEY,
  flow_id text REFERENCES flows(id) ON DELETE SET NULL,
  creator_id bigint REFERENCES users(id) ON DELETE SET NULL,
  name text NOT NULL,
  external_url text,
  error_message text,
  configuration_url text,
  token_hash text NOT NULL UNIQUE,
  type text,
  config jsonb,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  deleted_at timestamptz
);
CREATE INDEX sources_live_by_flow ON sources (flow_id, id) WHERE deleted_at IS NULL;
