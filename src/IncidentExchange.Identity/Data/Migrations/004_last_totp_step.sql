-- The time step of each person's last accepted authenticator code: a code is refused when its step is not later,
-- so that a code seen over someone's shoulder or replayed from a log cannot be used again within its window.
ALTER TABLE asp_net_users ADD COLUMN last_totp_step bigint;
