/**
 * A cache written by an earlier version of the desk opens with what it held intact: each
 * migration is checked against a file left at the schema before it.
 */
import { randomBytes } from 'node:crypto';
import { copyFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { keyCacheConnection, openDatabase, schemaVersion, type Db } from '../../electron/services/db/connection';
import { createCaseStore } from '../../electron/services/db/case-store';
import { cacheRows } from '../../electron/services/db/cache-rows';
import { LATEST_SCHEMA_VERSION, MIGRATIONS } from '../../electron/services/db/migrations';
import { createSyncLedger, type SeenVersion } from '../../electron/services/db/sync-ledger';
import { tempDir } from '../support/temp-dir';

let dir: ReturnType<typeof tempDir>;
let file: string;
const key = randomBytes(32);

beforeEach(() => {
  dir = tempDir('desk-migrations');
  file = join(dir.path, 'cache.db');
});
afterEach(() => dir.remove());

/** A cache file as a desk at `version` left it, with `fill` written into it. */
function cacheAtSchema(version: number, fill: (db: Db) => void): void {
  const db = new Database(file);
  keyCacheConnection(db, key);
  db.pragma('journal_mode = WAL');
  for (const migration of MIGRATIONS.filter((m) => m.version <= version)) db.exec(migration.sql);
  db.pragma(`user_version = ${version}`);
  fill(db);
  db.close();
}

const seen = (resourceType: string, id: string, versionId: string | null, lastUpdated: string | null): SeenVersion => ({ resourceType, id, versionId, lastUpdated });

describe('migration 8: versions held on the rows themselves', () => {
  it('keeps the version of every row and quarantined resource, so the next sync neither writes a repeat again nor lets an older one in', () => {
    cacheAtSchema(7, (db) => {
      db.exec(`
        INSERT INTO review_task (id, version_id, referral_id, status, owner_id, raw) VALUES ('task-1', '4', 'ref-1', 'in-progress', 'cons-1', '{"resourceType":"Task"}');
        -- An image and a document with the same id share the image table; the row is the document.
        INSERT INTO image (id, version_id, referral_id, view, body_site, captured_at, width, height, content_url, content_type, raw)
          VALUES ('img-1', '2', 'ref-1', 'close-up', 'Left shin', NULL, 0, 0, 'Binary/b-1', 'image/jpeg', '{"resourceType":"DocumentReference"}');
        -- A referral whose newer version was quarantined: the row holds version 1, the problem version 2.
        INSERT INTO referral (id, version_id, patient_id, requester_id, status, referrer_priority, received_at, due_date, reason, question, lesion_site, raw)
          VALUES ('ref-1', '1', 'pat-1', NULL, 'active', 'routine', '2026-11-20T09:00:00.000Z', '2026-11-24', 'r', 'q', 's', '{"resourceType":"ServiceRequest"}');
        INSERT INTO sync_problem (resource_type, id, version_id, reason, raw, seen_at)
          VALUES ('ServiceRequest', 'ref-1', '2', 'missing subject reference', '{}', '2026-11-21T10:00:00.000Z');
        INSERT INTO synced_version (resource_type, id, version_id, last_updated) VALUES
          ('Task', 'task-1', '4', '2026-11-21T12:00:00.000Z'),
          ('Media', 'img-1', '7', '2026-11-19T08:00:00.000Z'),
          ('DocumentReference', 'img-1', '2', '2026-11-20T08:00:00.000Z'),
          ('ServiceRequest', 'ref-1', '2', '2026-11-21T10:00:00.000Z');
      `);
    });

    const db = openDatabase(file, key);
    try {
      expect(schemaVersion(db)).toBe(LATEST_SCHEMA_VERSION);
      expect(db.prepare(`SELECT count(*) AS n FROM sqlite_master WHERE name = 'synced_version'`).get()).toEqual({ n: 0 });
      const lastUpdated = (table: string, id: string): unknown => db.prepare(`SELECT last_updated AS at FROM ${table} WHERE id = ?`).get(id);
      expect(lastUpdated('review_task', 'task-1')).toEqual({ at: '2026-11-21T12:00:00.000Z' });
      expect(lastUpdated('image', 'img-1')).toEqual({ at: '2026-11-20T08:00:00.000Z' });
      expect(db.prepare(`SELECT resource_type AS type FROM image WHERE id = 'img-1'`).get()).toEqual({ type: 'DocumentReference' });
      // Version 2 was never written to the row: what the row holds, it cannot date.
      expect(lastUpdated('referral', 'ref-1')).toEqual({ at: null });
      expect(db.prepare(`SELECT last_updated AS at FROM sync_problem WHERE id = 'ref-1'`).get()).toEqual({ at: '2026-11-21T10:00:00.000Z' });

      const ledger = createSyncLedger(db, createCaseStore(db));
      expect(ledger.holdsNothing()).toBe(false);
      const incoming = [
        seen('Task', 'task-1', '4', '2026-11-21T12:00:00.000Z'),
        seen('DocumentReference', 'img-1', '2', '2026-11-20T08:00:00.000Z'),
        seen('ServiceRequest', 'ref-1', '2', '2026-11-21T10:00:00.000Z'),
        // Held before as a Media, whose row the document had replaced (the two share the image
        // table): no row holds it now, so it is taken again should the server send it.
        seen('Media', 'img-1', '7', '2026-11-19T08:00:00.000Z'),
        seen('Task', 'task-1', '5', '2026-11-22T12:00:00.000Z'),
      ];
      expect(ledger.alreadyHeld(incoming)).toEqual(new Set(['Task/task-1', 'DocumentReference/img-1', 'ServiceRequest/ref-1']));

      // An older version of the task than the one held still cannot undo it.
      ledger.ingest({
        rows: cacheRows([{ table: 'review_task', row: { id: 'task-1', versionId: '3', lastUpdated: '2026-11-21T11:00:00.000Z', referralId: 'ref-1', status: 'requested', ownerId: null } }]),
        seen: [seen('Task', 'task-1', '3', '2026-11-21T11:00:00.000Z')],
        problems: [],
      });
      expect(db.prepare(`SELECT version_id AS v, status FROM review_task WHERE id = 'task-1'`).get()).toEqual({ v: '4', status: 'in-progress' });
    } finally {
      db.close();
    }
  });
});

/** The cache file's pages as plain bytes: a copy decrypted with its key. */
function decryptedCopy(): Buffer {
  const copy = join(dir.path, 'plain.db');
  copyFileSync(file, copy);
  const db = new Database(copy);
  keyCacheConnection(db, key);
  db.pragma('journal_mode = DELETE');
  db.rekey(Buffer.alloc(0));
  db.close();
  return readFileSync(copy);
}

describe('migration 10: only the questionnaire kept as sent', () => {
  it('keeps every field the desk uses and the questionnaire, and leaves nothing of the rest of a resource in the file', () => {
    // A telephone number from the range set aside for drama: in the patient as sent, never shown.
    const telephone = '01632 960 999';
    cacheAtSchema(9, (db) => {
      db.exec(`
        INSERT INTO patient (id, version_id, nhs_number, name, birth_date, sex, postcode, practice_id, raw)
          VALUES ('pat-1', '1', '9990000018', 'Ada Test', '1950-01-01', 'female', 'LS1 1AA', 'org-1', '{"resourceType":"Patient","telecom":[{"value":"${telephone}"}]}');
        INSERT INTO questionnaire_response (id, version_id, referral_id, raw)
          VALUES ('qr-1', '1', 'ref-1', '{"resourceType":"QuestionnaireResponse","item":[]}');
      `);
    });

    const db = openDatabase(file, key);
    try {
      expect(schemaVersion(db)).toBe(LATEST_SCHEMA_VERSION);
      expect(db.prepare(`SELECT id, nhs_number AS nhs, name, postcode, practice_id AS practice FROM patient`).all())
        .toEqual([{ id: 'pat-1', nhs: '9990000018', name: 'Ada Test', postcode: 'LS1 1AA', practice: 'org-1' }]);
      for (const table of ['patient', 'practitioner', 'organization', 'referral', 'review_task', 'consent', 'image']) {
        expect(db.prepare(`SELECT count(*) AS n FROM pragma_table_info(?) WHERE name = 'raw'`).get(table)).toEqual({ n: 0 });
      }
      expect(db.prepare(`SELECT raw FROM questionnaire_response`).pluck().get()).toBe('{"resourceType":"QuestionnaireResponse","item":[]}');
    } finally {
      db.close();
    }
    const plain = decryptedCopy();
    expect(plain.includes('Ada Test')).toBe(true); // the copy is readable: the check below can fail
    expect(plain.includes(telephone)).toBe(false);
  });
});

describe('migration 11: images keyed by type and id', () => {
  it('keeps each image with its pyramid and refusal, and makes room for a document with a Media\'s id', () => {
    const image = (type: string, id: string): string => `INSERT INTO image (id, version_id, last_updated, resource_type, referral_id, view, body_site, captured_at, width, height, content_url, content_type)
      VALUES ('${id}', '1', NULL, '${type}', 'ref-1', 'close-up', 'Left shin', NULL, 0, 0, 'Binary/${id}', 'image/jpeg')`;
    cacheAtSchema(10, (db) => {
      db.exec(`
        ${image('Media', 'img-1')};
        ${image('DocumentReference', 'doc-1')};
        INSERT INTO pyramid (image_id, content_hash, width, height, tile_size, overlap, built_at) VALUES
          ('img-1', 'hash-m', 640, 480, 256, 1, '2026-11-20T10:00:00.000Z'), ('doc-1', 'hash-d', 800, 600, 256, 1, '2026-11-20T10:00:00.000Z');
        INSERT INTO image_rejection (image_id, content_url, reason, rejected_at) VALUES ('doc-1', 'Binary/doc-1', 'not an image', '2026-11-20T10:00:00.000Z');
      `);
    });

    const db = openDatabase(file, key);
    try {
      expect(schemaVersion(db)).toBe(LATEST_SCHEMA_VERSION);
      const images = db.prepare(`SELECT i.image_id AS imageId, py.width, x.reason AS problem FROM image i
        LEFT JOIN pyramid py ON py.image_id = i.image_id LEFT JOIN image_rejection x ON x.image_id = i.image_id ORDER BY i.image_id`).all();
      expect(images).toEqual([
        { imageId: 'DocumentReference_doc-1', width: 800, problem: 'not an image' },
        { imageId: 'img-1', width: 640, problem: null },
      ]);
      db.exec(image('DocumentReference', 'img-1'));
      expect(db.prepare(`SELECT image_id FROM image ORDER BY image_id`).pluck().all()).toEqual(['DocumentReference_doc-1', 'DocumentReference_img-1', 'img-1']);
    } finally {
      db.close();
    }
  });
});
