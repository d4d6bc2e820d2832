-- The outbox keeps what a message is made from, not the text: its template's language and
-- the names the template uses (JSON), rendered when the message is sent. Such rows store an
-- empty subject and body. Rows queued before keep their stored subject and body (context
-- NULL) and are sent as they are.
ALTER TABLE outbox ADD COLUMN language TEXT;
ALTER TABLE outbox ADD COLUMN context TEXT;
