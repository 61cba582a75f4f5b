-- Releases take an Idempotency-Key too: the key's record remembers the release it made, to answer a retry with it.
ALTER TABLE idempotency_keys ADD COLUMN result_id uuid;
