-- Lets a single statement refuse to write anything: it raises (so every part of the statement
-- rolls back, data-modifying CTEs included) unless `condition` holds. Filing a ticket checks its
-- integration this way, in the same statement that writes the ticket.
-- The body spells its semicolons as \073: the PostgreSQL driver adapter runs migration scripts
-- one statement at a time, split at every semicolon, quoted or not.
CREATE FUNCTION ticketbridge_require(condition boolean, refusal text) RETURNS boolean
LANGUAGE plpgsql AS E'
BEGIN
  IF condition IS NOT TRUE THEN
    RAISE EXCEPTION USING ERRCODE = ''P0001'', MESSAGE = refusal\073
  END IF\073
  RETURN true\073
END';
