-- Organizations, users, memberships, flows, API tokens, private conversations, unread markers.
CREATE TABLE organizations (
  id bigserial PRIMARY KEY,
  name text NOT NULL,
  parameterized_name text NOT NULL UNIQUE,
  user_limit int NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE users (
  id bigserial PRIMARY KEY,
  email text NOT NULL,
  name text NOT NULL,
  nick text NOT NULL,
  avatar text,
  website text,
  password_hash text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX users_email_key ON users (lower(email));

CREATE TABLE organization_members (
  organization_id bigint NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
  user_id bigint NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  role text NOT NULL DEFAULT 'member' CHECK (role IN ('member', 'admin')),
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (organization_id, user_id)
);
CREATE INDEX organization_members_user ON organization_members (user_id);

CREATE TABLE flows (
  id text PRIMARY KEY,
  organization_id bigint NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
  name text NOT NULL,
  parameterized_name text NOT NULL,
  access_mode text NOT NULL DEFAULT 'invitation' CHECK (access_mode IN ('invitation', 'link', 'organization')),
  disabled boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (organization_id, parameterized_name)
);

CREATE TABLE flow_members (
  flow_id text NOT NULL REFERENCES flows(id) ON DELETE CASCADE,
  user_id bigint NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  open boolean NOT NULL DEFAULT true,
  disabled boolean NOT NULL DEFAULT false,
  in_flow boolean NOT NULL DEFAULT true,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (flow_id, user_id)
);
CREATE INDEX flow_members_user ON flow_members (user_id);

CREATE TABLE api_tokens (
  token_hash text PRIMARY KEY,
  user_id bigint NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  created_at timestamptz NOT NULL DEFAULT now(),
  last_used_at timestamptz
);
CREATE INDEX api_tokens_user ON api_tokens (user_id);

-- One row per participant: each side has its own `open` state.
CREATE TABLE private_conversations (
  user_id bigint NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  other_user_id bigint NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  open boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (user_id, other_user_id)
);

-- The last message a user has read in a conversation; unread mentions come from message tags.
CREATE TABLE read_markers (
  user_id bigint NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  conversation text NOT NULL,
  last_read_id bigint NOT NULL DEFAULT 0,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (user_id, conversation)
);
