-- Seeds activity-service's database straight (no HTTP, no events) for deploy/bench/feed.sh:
-- 10,000 people, each following 200 others (2,000,000 edges), 200,000 images and 1,000,000 actions
-- spread over the last 30 days. Ids are derived from numbers, so the bench can name its users.
-- Runs in one transaction; VACUUM ANALYZE afterwards, as autovacuum would do in time. Actions are
-- written without their occurrences (the 60-second rule's bookkeeping): enough for reading feeds.
\set ON_ERROR_STOP on
BEGIN;

CREATE FUNCTION pg_temp.bench_user(n bigint) RETURNS uuid IMMUTABLE LANGUAGE sql
    AS $$ SELECT ('00000000-0000-4000-8000-' || lpad(to_hex(n), 12, '0'))::uuid $$;
CREATE FUNCTION pg_temp.bench_image(n bigint) RETURNS uuid IMMUTABLE LANGUAGE sql
    AS $$ SELECT ('00000000-0001-4000-8000-' || lpad(to_hex(n), 12, '0'))::uuid $$;

INSERT INTO actor (id, username, photo_url, profile_at)
SELECT pg_temp.bench_user(i), 'bench' || i, 'http://localhost/media/avatars/bench' || i || '.jpg',
       now() - interval '31 days'
FROM generate_series(1, 10000) i;

INSERT INTO image (id, title, thumbnail_url, version_at)
SELECT pg_temp.bench_image(j), 'Bench image ' || j, 'http://localhost/media/images/bench' || j || '.jpg',
       now() - interval '31 days'
FROM generate_series(1, 200000) j;

-- Follower i follows i+37, i+74, ... (200 distinct others).
INSERT INTO follow_edge (follower_id, followee_id, following, changed_at)
SELECT pg_temp.bench_user(i), pg_temp.bench_user(((i - 1 + 37 * k) % 10000) + 1), true, now() - interval '30 days'
FROM generate_series(1, 10000) i, generate_series(1, 200) k;

-- One action every 2.592 s over 30 days: 60 % likes, 30 % bookmarks, 10 % follows.
INSERT INTO action (id, actor_id, verb, target_type, target_id, created_at)
SELECT ('00000000-0002-7000-8000-' || lpad(to_hex(i), 12, '0'))::uuid,
       pg_temp.bench_user(((i * 7919) % 10000) + 1),
       CASE WHEN i % 10 < 6 THEN 'liked' WHEN i % 10 < 9 THEN 'bookmarked' ELSE 'followed' END,
       CASE WHEN i % 10 < 9 THEN 'image' ELSE 'user' END,
       CASE WHEN i % 10 < 9 THEN pg_temp.bench_image(((i * 31) % 200000) + 1)
            ELSE pg_temp.bench_user(((i * 13) % 10000) + 1) END,
       now() - (i * interval '2.592 seconds')
FROM generate_series(1, 1000000::bigint) i;

COMMIT;
-- VACUUM sets the visibility map, without which the covering indexes cannot answer index-only.
VACUUM ANALYZE actor;
VACUUM ANALYZE image;
VACUUM ANALYZE follow_edge;
VACUUM ANALYZE action;
