ALTER TABLE steps ADD COLUMN process_group INTEGER;
