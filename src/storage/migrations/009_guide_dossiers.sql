-- Guided submission, payment and dossier tracking. The bot never submits a dossier: it guides, links and tracks
-- the dossier code (mã hồ sơ) the one-stop system issued, and records how the citizen submitted and paid.

-- Local settings per procedure, kept apart from imports and surviving them (set by an admin).
CREATE TABLE procedure_overrides (
  code                 text PRIMARY KEY,
  -- "toàn trình" is claimed only where an admin set it: the listing does not say
  fully_online         boolean,
  -- the province portal's page for submitting this procedure online
  portal_url           text,
  -- shown with answers and the guide ("Nộp tại quầy số 3")
  local_note           text,
  -- not offered in answers
  excluded             boolean NOT NULL DEFAULT false,
  -- whether the fee-collection account (VietQR) may be offered for this procedure
  fee_account_allowed  boolean NOT NULL DEFAULT true,
  updated_by           text,
  updated_at           timestamptz NOT NULL DEFAULT now()
);

-- One row per dossier a citizen told us about (its code), with how it was submitted and paid.
CREATE TABLE dossiers (
  id               bigserial PRIMARY KEY,
  code             text NOT NULL,                 -- as issued, trimmed; matched case-insensitively
  conversation_id  text NOT NULL,
  channel          text NOT NULL,
  chat_id          text NOT NULL,
  procedure_code   text,
  submitted_via    text CHECK (submitted_via IN ('online', 'in_person')),
  status           text NOT NULL DEFAULT 'submitted'
                   CHECK (status IN ('submitted', 'received', 'processing', 'supplement', 'done', 'returned')),
  -- portal (the national Payment Platform: counts as online payment), transfer (VietQR to the commune's account:
  -- cashless, not an online payment in the official figures), cash, exempt; null until known
  payment_method   text CHECK (payment_method IN ('portal', 'transfer', 'cash', 'exempt')),
  -- claimed by the citizen ("Tôi đã chuyển khoản"), then confirmed or rejected by staff
  payment_status   text CHECK (payment_status IN ('claimed', 'confirmed', 'rejected')),
  fee_charged      boolean,                       -- false when the procedure is free for this case (reports exclude it)
  due_at           timestamptz,                   -- from the record's time, in working days with the profile's holidays
  received_at      timestamptz,
  done_at          timestamptz,
  guide_id         text,                          -- the guide run that led to it (guide_events.guide_id)
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX dossiers_code ON dossiers (lower(code));
CREATE INDEX dossiers_conversation ON dossiers (conversation_id, id);
CREATE INDEX dossiers_due ON dossiers (due_at) WHERE status NOT IN ('done', 'returned');

-- What happened to a dossier, in order (status changes with their note, payment claims and decisions).
CREATE TABLE dossier_events (
  id          bigserial PRIMARY KEY,
  dossier_id  bigint NOT NULL REFERENCES dossiers (id),
  kind        text NOT NULL,                      -- created, status, payment_claimed, payment_confirmed, payment_rejected
  status      text,
  note        text,
  actor_id    bigint REFERENCES users (id),
  source_key  text UNIQUE,
  created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX dossier_events_dossier ON dossier_events (dossier_id, id);

-- The guide's funnel: one row per step a citizen reached (reports of the admin issue read it).
CREATE TABLE guide_events (
  id               bigserial PRIMARY KEY,
  guide_id         text NOT NULL,                 -- the guide run (conversation + start time)
  conversation_id  text NOT NULL,
  channel          text NOT NULL,
  procedure_code   text NOT NULL,
  step             text NOT NULL,                 -- started, checklist, channel_chosen, submitted, payment, paid, done, rated, cancelled, handover
  data             jsonb NOT NULL DEFAULT '{}'::jsonb,
  created_at       timestamptz NOT NULL DEFAULT now(),
  UNIQUE (guide_id, step)
);
CREATE INDEX guide_events_created ON guide_events (created_at);

-- Images the bot sends (VietQR codes), served at PUBLIC_URL/media/<name> under an unguessable name.
CREATE TABLE media (
  name        text PRIMARY KEY,                   -- 32 random url-safe characters + .png
  content     bytea NOT NULL,
  mime        text NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  expires_at  timestamptz NOT NULL
);
