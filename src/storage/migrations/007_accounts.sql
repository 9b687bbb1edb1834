-- Staff and admin accounts, their sessions, and the audit log of every staff and admin action.
-- Passwords are stored only as argon2id hashes; a session row is the server side of the httpOnly cookie, so
-- logging out or disabling an account ends it at once.
CREATE TABLE users (
  id             bigserial PRIMARY KEY,
  username       text NOT NULL UNIQUE,          -- lowercase, [a-z0-9._-]
  display_name   text NOT NULL,
  role           text NOT NULL CHECK (role IN ('staff', 'admin')),
  password_hash  text NOT NULL,
  telegram_id    text UNIQUE,                   -- a linked Telegram user may claim and reply in the staff group
  active         boolean NOT NULL DEFAULT true,
  created_at     timestamptz NOT NULL DEFAULT now(),
  updated_at     timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE sessions (
  id          text PRIMARY KEY,                 -- the session id the signed cookie carries
  user_id     bigint REFERENCES users (id),
  data        jsonb NOT NULL DEFAULT '{}'::jsonb,
  expires_at  timestamptz NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX sessions_expires ON sessions (expires_at);

CREATE TABLE audit_log (
  id          bigserial PRIMARY KEY,
  user_id     bigint,                           -- null for the command line or the system
  username    text,
  action      text NOT NULL,                    -- e.g. login, logout, user.add, ticket.claim, ticket.reply
  target      text,                             -- e.g. ticket:12, user:lan
  details     jsonb NOT NULL DEFAULT '{}'::jsonb,  -- never a password or a phone number
  created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX audit_log_created ON audit_log (created_at);
