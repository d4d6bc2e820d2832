-- Per site (F4): the technician to call, as JSON {name, phone, email}, and the equipment
-- identifiers (EVSE IDs, canonical form). A charging point belongs to one site.

ALTER TABLE sites ADD COLUMN technician TEXT;

CREATE TABLE site_equipment (
    site_id   BIGINT NOT NULL REFERENCES sites(id),
    evse_id   TEXT   NOT NULL UNIQUE,
    added_at  BIGINT NOT NULL,
    PRIMARY KEY (site_id, evse_id)
);
