-- Message store (Postgres engine): messages and thread states as JSONB, plus the shard fencing tokens.

-- One row per message; `doc` is the whole MessageJson, the other columns exist to filter and order.
CREATE TABLE messages (
  conversation text   NOT NULL,               -- flow id, or private:<low>:<high>
  id           bigint NOT NULL,               -- per-conversation id, assigned by the shard owner
  uuid         text   NOT NULL,               -- the client's idempotency key
  event        text   NOT NULL,
  sent         bigint NOT NULL,               -- ms since epoch
  thread_id    text   NULL,
  tags         text[] NOT NULL DEFAULT '{}',  -- lowercased: tags match case-insensitively
  search_text  text   NOT NULL DEFAULT '',    -- lowercased plain text for keyword search
  doc          jsonb  NOT NULL,
  PRIMARY KEY (conversation, id),
  -- Makes a retried message, or a stale shard owner's write, fail instead of doubling.
  CONSTRAINT messages_conversation_uuid_key UNIQUE (conversation, uuid)
);

CREATE INDEX messages_event_idx ON messages (conversation, event, id);
CREATE INDEX messages_tags_idx ON messages USING gin (tags);
CREATE INDEX messages_thread_idx ON messages (conversation, thread_id, id) WHERE thread_id IS NOT NULL;

-- Current state of each thread; `doc` is the ThreadState.
CREATE TABLE threads (
  conversation text        NOT NULL,
  id           text        NOT NULL,
  updated_at   timestamptz NOT NULL,
  doc          jsonb       NOT NULL,
  PRIMARY KEY (conversation, id)
);

CREATE INDEX threads_updated_idx ON threads (conversation, updated_at);

-- Fencing: the shard lease raises `token` on every acquisition; the store refuses batches
-- written under any other token. The store only reads this table.
CREATE TABLE shard_leases (
  shard int    PRIMARY KEY,
  token bigint NOT NULL
);
