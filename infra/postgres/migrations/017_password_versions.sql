-- Which password a session was opened with (docs/security.md): a password change bumps the user's
-- version, and a session whose version is older no longer authenticates, even one written just
-- after the change signed the user's sessions out by a login that checked the old password.
ALTER TABLE users ADD COLUMN password_version integer NOT NULL DEFAULT 0;
ALTER TABLE sessions ADD COLUMN password_version integer NOT NULL DEFAULT 0;
