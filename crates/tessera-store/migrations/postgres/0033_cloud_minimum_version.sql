-- The version a product's program needs at least to connect to the cloud (X6, E5; seed 000:
-- the cloud needs 1.2.11 or later). Below it the code exchange is refused, while the
-- program itself runs; the product's minimum_version still says when it must be updated.
ALTER TABLE products ADD COLUMN cloud_minimum_version TEXT;
