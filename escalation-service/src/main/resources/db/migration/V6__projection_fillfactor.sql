-- Every consumed event rewrites its case's projection row. With room left on each page the new
-- row version goes on the same page and no index changes (a HOT update): the indexed columns
-- (case id, customer, time of receipt) do not change after the first event.
ALTER TABLE case_projection SET (fillfactor = 70);
