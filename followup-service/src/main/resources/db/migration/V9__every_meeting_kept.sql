-- Every meeting of a case is kept, not only the first of each token: a reclassification applies the
-- case's history to the new profile's deadlines as the consumer applied it live, event by event, so a
-- later communication that the first of its kind was not (a holding reply with the reasons and the
-- date, after one without) still extends the new profile's deadline.
ALTER TABLE case_meeting DROP CONSTRAINT case_meeting_pkey;
ALTER TABLE case_meeting ADD PRIMARY KEY (case_id, token, event_id);
