-- Site administrators (docs/adr/017-markdown-and-site-admins.md): they see the failover page. Set with `tributary user set-admin`.
ALTER TABLE users ADD COLUMN site_admin boolean NOT NULL DEFAULT false;
