-- Uploaded files' bytes in full mode (docs/adr/016-files.md): every web-api node serves every file.
CREATE TABLE file_blobs (
  key text PRIMARY KEY,
  content_type text NOT NULL,
  file_name text NOT NULL,
  data bytea NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
