-- Whether the machine an installation is bound to holds a licence answered by file (X1): it
-- never checks online, so releasing the installation or moving it to another machine would
-- leave that machine running beside the next one. Only an operator releases it.
ALTER TABLE sites ADD COLUMN by_file BOOLEAN NOT NULL DEFAULT FALSE;
