-- Invitations to flows (spec §2.7, docs/adr/027-mail-out-and-invitations.md). Only the SHA-256 of a
-- link's token is kept. One pending invitation per flow and address (any case): inviting again
-- renews it. Accepted ones stay, shown by GET …/invitations/:id.
CREATE TABLE invitations (
  id bigserial PRIMARY KEY,
  flow_id text NOT NULL REFERENCES flows(id) ON DELETE CASCADE,
  email text NOT NULL,
  state text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'accepted')),
  message text,
  inviter_id bigint REFERENCES users(id) ON DELETE SET NULL,
  token_hash text NOT NULL UNIQUE,
  created_at timestamptz NOT NULL DEFAULT now(),
  accepted_at timestamptz
);
CREATE UNIQUE INDEX invitations_pending_per_address ON invitations (flow_id, lower(email)) WHERE state = 'pending';
