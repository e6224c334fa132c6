-- Mail out through a durable outbox, and mention notifications (docs/adr/029-mail-notifications.md).
-- A mail is enqueued in the same statement as what causes it (an invitation, a batch of mentions);
-- integration workers claim due rows (FOR UPDATE SKIP LOCKED, then a lease in next_attempt_at) and
-- deliver them with exponential backoff, giving up after MAIL_MAX_ATTEMPTS ('failed', with the error).
CREATE TABLE mail_outbox (
  id bigserial PRIMARY KEY,
  recipient text NOT NULL,
  subject text NOT NULL,
  body_text text NOT NULL,
  body_html text,
  headers jsonb NOT NULL DEFAULT '{}',
  state text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sent', 'failed')),
  attempts int NOT NULL DEFAULT 0,
  next_attempt_at timestamptz NOT NULL DEFAULT now(),
  last_error text,
  created_at timestamptz NOT NULL DEFAULT now(),
  done_at timestamptz
);
CREATE INDEX mail_outbox_due ON mail_outbox (next_attempt_at) WHERE state = 'pending';
-- Counted for /metrics every round: sent rows pile up, so neither count may scan them.
CREATE INDEX mail_outbox_failed ON mail_outbox (id) WHERE state = 'failed';

-- One row per (flow, message, mentioned user): the primary key is the dedupe, so a replayed batch
-- or a restarted worker never notifies twice. Only members of the flow get a row.
CREATE TABLE mention_notices (
  flow_id text NOT NULL REFERENCES flows(id) ON DELETE CASCADE,
  message_id bigint NOT NULL,
  user_id bigint NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  author_id bigint,
  created_at timestamptz NOT NULL DEFAULT now(),
  due_at timestamptz NOT NULL,
  state text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'mailed', 'skipped')),
  outcome text,
  mail_id bigint REFERENCES mail_outbox(id) ON DELETE SET NULL,
  PRIMARY KEY (flow_id, message_id, user_id)
);
CREATE INDEX mention_notices_due ON mention_notices (due_at) WHERE state = 'pending';
CREATE INDEX mention_notices_user ON mention_notices (user_id) WHERE state = 'pending';

-- People who turned mention mails off (the unsubscribe link, or PUT /user mention_mails:false).
CREATE TABLE mention_mail_optouts (
  user_id bigint PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
  created_at timestamptz NOT NULL DEFAULT now()
);
