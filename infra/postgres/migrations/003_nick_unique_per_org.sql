-- Nicks are unique per organization, case-insensitively, so that `@nick` names exactly one member.
-- A user's nick is global (users.nick) but uniqueness is per organization, which no index on one
-- table can express; so every membership row carries a copy of its user's lower-cased nick, kept
-- in step by triggers, and a unique index on (organization, nick) settles concurrent changes.

-- Existing clashes: the later user of a clashing pair gets `-<id>` appended (ids are unique, so the
-- new nicks cannot clash with each other; at most 32 characters as the API allows).
UPDATE users u SET nick = left(u.nick, 31 - length(u.id::text)) || '-' || u.id
WHERE EXISTS (
  SELECT 1 FROM organization_members mine
  JOIN organization_members theirs ON theirs.organization_id = mine.organization_id
  JOIN users other ON other.id = theirs.user_id
  WHERE mine.user_id = u.id AND other.id < u.id AND lower(other.nick) = lower(u.nick));

ALTER TABLE organization_members ADD COLUMN nick_key text;
UPDATE organization_members m SET nick_key = lower(u.nick) FROM users u WHERE u.id = m.user_id;
ALTER TABLE organization_members ALTER COLUMN nick_key SET NOT NULL;
CREATE UNIQUE INDEX organization_members_nick_key ON organization_members (organization_id, nick_key);

-- A new membership takes its user's nick. FOR SHARE waits for a concurrent nick change to commit
-- and then reads the new nick, so the copy is never stale.
CREATE FUNCTION organization_members_set_nick_key() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  SELECT lower(nick) INTO NEW.nick_key FROM users WHERE id = NEW.user_id FOR SHARE;
  RETURN NEW;
END $$;
CREATE TRIGGER organization_members_nick_key BEFORE INSERT OR UPDATE OF user_id ON organization_members
  FOR EACH ROW EXECUTE FUNCTION organization_members_set_nick_key();

-- A nick change updates every membership of the user; a clash in any organization fails the change.
CREATE FUNCTION users_propagate_nick() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE organization_members SET nick_key = lower(NEW.nick) WHERE user_id = NEW.id;
  RETURN NEW;
END $$;
CREATE TRIGGER users_nick_key AFTER UPDATE OF nick ON users
  FOR EACH ROW WHEN (lower(OLD.nick) IS DISTINCT FROM lower(NEW.nick)) EXECUTE FUNCTION users_propagate_nick();
