-- The public key (Ed25519, hex) of the machine an installation was bound to by file, when its
-- client named one in the activation request (X1): a deactivation request signed with it
-- releases the installation, so the account need not ask the vendor. Cleared on release.
ALTER TABLE sites ADD COLUMN machine_key TEXT;
