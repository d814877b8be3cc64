-- A complaint inserted by a replica still at the version before V3 (a rolling upgrade) names no
-- registered_at; such a replica registers at the moment it receives, so the insert's own time is
-- the right value, and without a default its submission would fail on the NOT NULL.
ALTER TABLE complaint ALTER COLUMN registered_at SET DEFAULT clock_timestamp();
