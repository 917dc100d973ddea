DROP TABLE device_health;
DROP TABLE unlock_events;
DROP TABLE ring_code_requests;
DROP TABLE ring_auth_attempts;
DROP TABLE ring_accounts;
