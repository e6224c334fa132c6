-- Link-mode join links (docs/adr/030-join-links.md): one secret link per link-mode flow. The token is
-- kept as it is, not hashed, because members must be able to see the link again (GET …/join_url);
-- only flow members are ever shown it. A link is looked up by its flow and compared in constant time.
-- Re-runnable: IF NOT EXISTS / OR REPLACE throughout.
CREATE TABLE IF NOT EXISTS flow_join_links (
  flow_id text PRIMARY KEY REFERENCES flows(id) ON DELETE CASCADE,
  token text NOT NULL,
  created_by bigint REFERENCES users(id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);

-- Leaving link mode turns the link off in the same write, whoever changes the mode (API, CLI, SQL),
-- so that switching back to link mode never brings an old link back to life.
CREATE OR REPLACE FUNCTION flows_turn_off_join_link() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM flow_join_links WHERE flow_id = NEW.id;
  RETURN NEW;
END $$;
DROP TRIGGER IF EXISTS flows_join_link_off ON flows;
CREATE TRIGGER flows_join_link_off AFTER UPDATE OF access_mode ON flows
  FOR EACH ROW WHEN (NEW.access_mode <> 'link') EXECUTE FUNCTION flows_turn_off_join_link();
