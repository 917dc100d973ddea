DROP TABLE settings;
DROP TABLE login_audit;
DROP TABLE sessions;
DROP TABLE users;
