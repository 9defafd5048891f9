-- Which version of the profile a directory row shows: the updatedAt of the last UserProfileUpdated
-- applied (the registration time until then). An event that is not newer changes nothing, so
-- late, replayed or reordered deliveries cannot bring back an old name or photo.
ALTER TABLE directory_user ADD COLUMN profile_updated_at timestamptz;
UPDATE directory_user SET profile_updated_at = registered_at;
ALTER TABLE directory_user ALTER COLUMN profile_updated_at SET NOT NULL;
