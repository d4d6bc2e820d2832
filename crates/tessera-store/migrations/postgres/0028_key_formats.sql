-- Keys sold under an earlier system (X5): a product may state how its imported keys are
-- spelt, as a regular expression over the compact key (upper case, no dashes). Imported
-- keys live in product_keys like generated ones, in batches whose note names the file.
ALTER TABLE products ADD COLUMN key_format TEXT;
