-- Two-way rows carry the steps that turn a target value back into a source value.
ALTER TABLE field_maps ADD COLUMN reverse_transform TEXT NOT NULL DEFAULT '[]';
