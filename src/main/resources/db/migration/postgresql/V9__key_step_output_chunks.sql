-- Each chunk of a step's output carries a key of its own (the attempt's writer and a counter), so that a
-- write retried after the database lost its answer is not stored twice.
ALTER TABLE step_output ADD COLUMN chunk_key TEXT;
CREATE UNIQUE INDEX step_output_chunk ON step_output (execution_id, step_number, chunk_key);
