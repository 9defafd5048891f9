-- The W3C trace context (traceparent and tracestate header values) of the request that wrote the
-- event, so that the outbox relay publishes it as part of that request's trace. Null when the
-- writer had no trace.
ALTER TABLE outbox ADD COLUMN traceparent text, ADD COLUMN tracestate text;
