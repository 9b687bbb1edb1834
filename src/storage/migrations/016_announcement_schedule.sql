-- Scheduled announcements (issue 11 §5, "schedules or sends it"): an admin may send one at a later time and cancel it
-- before then. 'scheduled': its deliveries exist with not_before = scheduled_at and nothing is sent before that
-- time; at the time the worker turns it to 'sending' (one conditional update, so a cancellation and the start never
-- both win). 'cancelled': cancelled before it started; its pending deliveries are removed and nothing is sent.
ALTER TABLE announcements ADD COLUMN scheduled_at timestamptz;
ALTER TABLE announcements ADD COLUMN cancelled_at timestamptz;
ALTER TABLE announcements DROP CONSTRAINT announcements_status_check;
ALTER TABLE announcements ADD CONSTRAINT announcements_status_check
  CHECK (status IN ('draft', 'scheduled', 'sending', 'sent', 'cancelled'));
