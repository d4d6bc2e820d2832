-- F5: `sites.operations.view` now means what seed 001 says, the station's operations-management
-- tab ("Betriebsführung", where its services are switched); until now it opened the operations
-- log. The log has its own right, `operations.view`. Every group that held the old right is
-- given the new one, so no group loses the log it could read.
INSERT INTO group_rights (group_id, name)
SELECT group_id, 'operations.view' FROM group_rights WHERE name = 'sites.operations.view';
