/**
 * Versioned schema. Each migration runs once, in order, inside a transaction; SQLite's
 * user_version records how far a file has come. Never edit a migration that has shipped:
 * add the next one.
 */
export interface Migration {
  version: number;
  description: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'cache of referrals, people, consents and images; pyramids; sync state',
    sql: `
      -- Cache tables mirror the server; no foreign keys because pages of different resource
      -- types arrive in any order. Each keeps the resource as received in raw.
      CREATE TABLE patient (
        id TEXT PRIMARY KEY, version_id TEXT, nhs_number TEXT NOT NULL, name TEXT NOT NULL,
        birth_date TEXT NOT NULL, sex TEXT NOT NULL, postcode TEXT, practice_id TEXT, raw TEXT NOT NULL);
      CREATE TABLE practitioner (id TEXT PRIMARY KEY, version_id TEXT, name TEXT NOT NULL, raw TEXT NOT NULL);
      CREATE TABLE organization (id TEXT PRIMARY KEY, version_id TEXT, name TEXT NOT NULL, raw TEXT NOT NULL);
      CREATE TABLE referral (
        id TEXT PRIMARY KEY, version_id TEXT, patient_id TEXT NOT NULL, requester_id TEXT,
        status TEXT NOT NULL, referrer_priority TEXT NOT NULL, received_at TEXT NOT NULL,
        due_date TEXT NOT NULL, reason TEXT NOT NULL, question TEXT NOT NULL,
        lesion_site TEXT NOT NULL, raw TEXT NOT NULL);
      CREATE INDEX referral_by_patient ON referral(patient_id);
      CREATE TABLE review_task (
        id TEXT PRIMARY KEY, version_id TEXT, referral_id TEXT NOT NULL, status TEXT NOT NULL,
        owner_id TEXT, raw TEXT NOT NULL);
      CREATE INDEX review_task_by_referral ON review_task(referral_id);
      CREATE TABLE questionnaire_response (
        id TEXT PRIMARY KEY, version_id TEXT, referral_id TEXT NOT NULL, raw TEXT NOT NULL);
      CREATE INDEX questionnaire_response_by_referral ON questionnaire_response(referral_id);
      CREATE TABLE consent (
        id TEXT PRIMARY KEY, version_id TEXT, referral_id TEXT NOT NULL, kind TEXT NOT NULL,
        permitted INTEGER NOT NULL, recorded_at TEXT, raw TEXT NOT NULL);
      CREATE INDEX consent_by_referral ON consent(referral_id);
      CREATE TABLE image (
        id TEXT PRIMARY KEY, version_id TEXT, referral_id TEXT NOT NULL, view TEXT NOT NULL,
        body_site TEXT NOT NULL, captured_at TEXT, width INTEGER NOT NULL, height INTEGER NOT NULL,
        content_url TEXT NOT NULL, content_type TEXT NOT NULL, raw TEXT NOT NULL);
      CREATE INDEX image_by_referral ON image(referral_id);
      -- A built deep-zoom pyramid. content_hash names its folder in the tile store, so
      -- identical originals share one pyramid.
      CREATE TABLE pyramid (
        image_id TEXT PRIMARY KEY, content_hash TEXT NOT NULL, width INTEGER NOT NULL,
        height INTEGER NOT NULL, tile_size INTEGER NOT NULL, overlap INTEGER NOT NULL,
        built_at TEXT NOT NULL);
      CREATE TABLE sync_state (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    `,
  },
  {
    version: 2,
    description: 'incremental sync: versions seen, quarantined resources',
    sql: `
      -- Every resource version the cache holds, so a page that repeats it costs no write.
      CREATE TABLE synced_version (
        resource_type TEXT NOT NULL, id TEXT NOT NULL, version_id TEXT, last_updated TEXT,
        PRIMARY KEY (resource_type, id)) WITHOUT ROWID;
      -- Resources that failed validation, with the reason, until a readable version arrives.
      CREATE TABLE sync_problem (
        resource_type TEXT NOT NULL, id TEXT NOT NULL, version_id TEXT, reason TEXT NOT NULL,
        raw TEXT NOT NULL, seen_at TEXT NOT NULL, PRIMARY KEY (resource_type, id));
    `,
  },
  {
    version: 3,
    description: 'images the desk refused, with the reason',
    sql: `
      -- An original that failed the checks (not an image, wrong type, too large, corrupt). Keyed
      -- by its content URL too: when the server replaces the image, the refusal no longer applies.
      CREATE TABLE image_rejection (
        image_id TEXT PRIMARY KEY, content_url TEXT NOT NULL, reason TEXT NOT NULL, rejected_at TEXT NOT NULL);
    `,
  },
  {
    version: 4,
    description: 'referrals found gone from the server',
    sql: `
      -- The server answered 410 Gone (or 404) for a referral's review task: withdrawn upstream.
      CREATE TABLE referral_gone (referral_id TEXT PRIMARY KEY, reason TEXT NOT NULL, seen_at TEXT NOT NULL);
    `,
  },
  {
    version: 5,
    description: 'signed outcomes and their outbox',
    sql: `
      -- A signed outcome, as signed: never changed afterwards. Its id is made here and is also
      -- the identifier of what it becomes on the server, so sending it twice creates nothing twice.
      CREATE TABLE outcome (
        id TEXT PRIMARY KEY, referral_id TEXT NOT NULL, kind TEXT NOT NULL, draft TEXT NOT NULL,
        signed_at TEXT NOT NULL, signed_by TEXT NOT NULL, target_date TEXT, undo_until TEXT NOT NULL);
      CREATE INDEX outcome_by_referral ON outcome(referral_id);
      -- Where each outcome stands on its way to the GP.
      CREATE TABLE outbox (
        outcome_id TEXT PRIMARY KEY REFERENCES outcome(id), state TEXT NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0, next_attempt_at TEXT NOT NULL, problem TEXT, sent_at TEXT);
      CREATE INDEX outbox_due ON outbox(state, next_attempt_at);
    `,
  },
  {
    version: 6,
    description: 'append-only audit trail with a hash chain',
    sql: `
      -- Who opened which case, viewed which image, signed, undid or sent which outcome, when.
      -- Each entry carries the hash of the one before, so a changed or removed entry shows.
      CREATE TABLE audit (
        seq INTEGER PRIMARY KEY, at TEXT NOT NULL, actor TEXT NOT NULL, action TEXT NOT NULL,
        subject TEXT NOT NULL, detail TEXT NOT NULL, prev_hash TEXT NOT NULL, hash TEXT NOT NULL);
      -- Append-only in the database itself; the chain catches anyone who works around this.
      CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
      CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
    `,
  },
  {
    version: 7,
    description: "consultants' own outcome templates",
    sql: `
      CREATE TABLE user_template (
        id TEXT PRIMARY KEY, name TEXT NOT NULL, key TEXT NOT NULL UNIQUE, draft TEXT NOT NULL, created_at TEXT NOT NULL);
    `,
  },
  {
    version: 8,
    description: 'versions held on the rows themselves',
    sql: `
      -- Each row (and each quarantined resource) carries the lastUpdated of the version it holds,
      -- as its version_id already was: synced_version repeated both in a second tree that every
      -- page of a sync rewrote at random places (a third of a first sync's log).
      ALTER TABLE patient ADD COLUMN last_updated TEXT;
      ALTER TABLE practitioner ADD COLUMN last_updated TEXT;
      ALTER TABLE organization ADD COLUMN last_updated TEXT;
      ALTER TABLE referral ADD COLUMN last_updated TEXT;
      ALTER TABLE review_task ADD COLUMN last_updated TEXT;
      ALTER TABLE questionnaire_response ADD COLUMN last_updated TEXT;
      ALTER TABLE consent ADD COLUMN last_updated TEXT;
      ALTER TABLE image ADD COLUMN last_updated TEXT;
      ALTER TABLE sync_problem ADD COLUMN last_updated TEXT;
      -- Media and DocumentReference share the image table: which one a row holds.
      ALTER TABLE image ADD COLUMN resource_type TEXT;
      UPDATE image SET resource_type = raw ->> '$.resourceType';
      -- Only where the row holds the version seen (a newer one may sit quarantined, with its own).
      UPDATE patient SET last_updated = v.last_updated FROM synced_version v WHERE v.resource_type = 'Patient' AND v.id = patient.id AND v.version_id IS patient.version_id;
      UPDATE practitioner SET last_updated = v.last_updated FROM synced_version v WHERE v.resource_type = 'Practitioner' AND v.id = practitioner.id AND v.version_id IS practitioner.version_id;
      UPDATE organization SET last_updated = v.last_updated FROM synced_version v WHERE v.resource_type = 'Organization' AND v.id = organization.id AND v.version_id IS organization.version_id;
      UPDATE referral SET last_updated = v.last_updated FROM synced_version v WHERE v.resource_type = 'ServiceRequest' AND v.id = referral.id AND v.version_id IS referral.version_id;
      UPDATE review_task SET last_updated = v.last_updated FROM synced_version v WHERE v.resource_type = 'Task' AND v.id = review_task.id AND v.version_id IS review_task.version_id;
      UPDATE questionnaire_response SET last_updated = v.last_updated FROM synced_version v
        WHERE v.resource_type = 'QuestionnaireResponse' AND v.id = questionnaire_response.id AND v.version_id IS questionnaire_response.version_id;
      UPDATE consent SET last_updated = v.last_updated FROM synced_version v WHERE v.resource_type = 'Consent' AND v.id = consent.id AND v.version_id IS consent.version_id;
      UPDATE image SET last_updated = v.last_updated FROM synced_version v WHERE v.resource_type = image.resource_type AND v.id = image.id AND v.version_id IS image.version_id;
      UPDATE sync_problem SET last_updated = v.last_updated FROM synced_version v WHERE v.resource_type = sync_problem.resource_type AND v.id = sync_problem.id;
      DROP TABLE synced_version;
    `,
  },
  {
    version: 9,
    description: 'when the desk saw each referral finished, and referrals sent to another service',
    sql: `
      -- Retention counts from here: the desk's own clock, not a server's stamps (which may be
      -- old, odd or in the future). A referral open again loses its row.
      CREATE TABLE referral_finished (referral_id TEXT PRIMARY KEY, seen_at TEXT NOT NULL);
      -- A referral the server now addresses to another service: no longer this desk's work.
      ALTER TABLE referral_gone ADD COLUMN sent_to TEXT;
    `,
  },
  {
    version: 10,
    description: 'only the questionnaire kept as sent: of every other resource, the fields the desk uses',
    sql: `
      -- Whole resources held patients' addresses, telephone numbers and more that review never
      -- shows. Dropped content is overwritten (secure_delete). A mapping that needs more later
      -- reads it from the server again.
      ALTER TABLE patient DROP COLUMN raw;
      ALTER TABLE practitioner DROP COLUMN raw;
      ALTER TABLE organization DROP COLUMN raw;
      ALTER TABLE referral DROP COLUMN raw;
      ALTER TABLE review_task DROP COLUMN raw;
      ALTER TABLE consent DROP COLUMN raw;
      ALTER TABLE image DROP COLUMN raw;
    `,
  },
  {
    version: 11,
    description: 'a Media and a DocumentReference with the same id are two images',
    sql: `
      -- Keyed by type and id, as the server keys them. image_id is the desk's id for an image
      -- (imageIdSchema in shared/domain/referral.ts): a Media's id as it is, a document's with
      -- "DocumentReference_" before it; "_" is never in a FHIR id, so the two never meet, and the
      -- ids of Media (most images) stay what the audit trail already names.
      CREATE TABLE image_by_type (
        resource_type TEXT NOT NULL, id TEXT NOT NULL, version_id TEXT, last_updated TEXT, referral_id TEXT NOT NULL,
        view TEXT NOT NULL, body_site TEXT NOT NULL, captured_at TEXT, width INTEGER NOT NULL, height INTEGER NOT NULL,
        content_url TEXT NOT NULL, content_type TEXT NOT NULL,
        image_id TEXT GENERATED ALWAYS AS (CASE resource_type WHEN 'DocumentReference' THEN 'DocumentReference_' || id ELSE id END) STORED,
        PRIMARY KEY (resource_type, id));
      INSERT INTO image_by_type (resource_type, id, version_id, last_updated, referral_id, view, body_site, captured_at, width, height, content_url, content_type)
        SELECT coalesce(resource_type, 'Media'), id, version_id, last_updated, referral_id, view, body_site, captured_at, width, height, content_url, content_type FROM image;
      UPDATE pyramid SET image_id = 'DocumentReference_' || image_id WHERE image_id IN (SELECT id FROM image WHERE resource_type = 'DocumentReference');
      UPDATE image_rejection SET image_id = 'DocumentReference_' || image_id WHERE image_id IN (SELECT id FROM image WHERE resource_type = 'DocumentReference');
      DROP TABLE image;
      ALTER TABLE image_by_type RENAME TO image;
      CREATE UNIQUE INDEX image_by_image_id ON image(image_id);
      CREATE INDEX image_by_referral ON image(referral_id);
    `,
  },
  {
    version: 12,
    description: 'outcomes being written, kept per referral until signed or discarded',
    sql: `
      CREATE TABLE outcome_draft (referral_id TEXT PRIMARY KEY, draft TEXT NOT NULL, saved_at TEXT NOT NULL);
    `,
  },
  {
    version: 13,
    description: 'images found by id alone, as sync looks them up',
    sql: `
      -- Keyed by type and id since migration 11; sync asks which versions it holds by id.
      CREATE INDEX image_by_id ON image(id);
    `,
  },
];

export const LATEST_SCHEMA_VERSION = MIGRATIONS.at(-1)?.version ?? 0;
