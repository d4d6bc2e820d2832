-- The public key (Ed25519, hex) of the machine an installation was bound to by file, when its
-- client named one in the activation request (X1), and the nonce of the newest activation by
-- file: a deactivation request signed with that key and naming that activation releases the
-- installation, so the account need not ask the vendor. Both cleared on release.
ALTER TABLE sites ADD COLUMN machine_key TEXT;
ALTER TABLE sites ADD COLUMN file_nonce TEXT;
