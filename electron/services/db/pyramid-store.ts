/** Which images have a built pyramid, and where their original comes from. */
import type { Pyramid } from '../../../shared/domain/referral';
import type { Db } from './connection';

export interface PyramidRecord extends Pyramid {
  contentHash: string;
}

export interface ImageSource {
  imageId: string;
  contentUrl: string;
  contentType: string;
}

export interface PyramidStore {
  imageSource(imageId: string): ImageSource | undefined;
  get(imageId: string): PyramidRecord | undefined;
  save(record: PyramidRecord): void;
  /** Why this image's current original was refused, if it was. */
  rejection(source: ImageSource): string | null;
  reject(source: ImageSource, reason: string): void;
  /** The tile folders (content hashes) of these referrals' images, and of images of no referral held. */
  contentOf(referralIds: readonly string[]): string[];
  /** Of these content hashes, those no pyramid uses. */
  unused(contentHashes: readonly string[]): string[];
}

export function createPyramidStore(db: Db): PyramidStore {
  const source = db.prepare('SELECT image_id AS imageId, content_url AS contentUrl, content_type AS contentType FROM image WHERE image_id = ?');
  const read = db.prepare(`SELECT image_id AS imageId, content_hash AS contentHash, width, height, tile_size AS tileSize, overlap
    FROM pyramid WHERE image_id = ?`);
  const write = db.prepare(`INSERT INTO pyramid (image_id, content_hash, width, height, tile_size, overlap, built_at)
    VALUES (@imageId, @contentHash, @width, @height, @tileSize, @overlap, @builtAt)
    ON CONFLICT(image_id) DO UPDATE SET content_hash=excluded.content_hash, width=excluded.width, height=excluded.height,
      tile_size=excluded.tile_size, overlap=excluded.overlap, built_at=excluded.built_at`);
  const readRejection = db.prepare('SELECT reason FROM image_rejection WHERE image_id = ? AND content_url = ?');
  const writeRejection = db.prepare(`INSERT INTO image_rejection (image_id, content_url, reason, rejected_at) VALUES (?, ?, ?, ?)
    ON CONFLICT(image_id) DO UPDATE SET content_url = excluded.content_url, reason = excluded.reason, rejected_at = excluded.rejected_at`);
  const ofReferrals = db.prepare(`SELECT DISTINCT content_hash FROM pyramid WHERE image_id NOT IN (SELECT image_id FROM image
    WHERE referral_id IN (SELECT id FROM referral) AND referral_id NOT IN (SELECT value FROM json_each(?)))`).pluck();
  const used = db.prepare('SELECT DISTINCT content_hash FROM pyramid WHERE content_hash IN (SELECT value FROM json_each(?))').pluck();
  return {
    contentOf: (referralIds) => ofReferrals.all(JSON.stringify(referralIds)) as string[],
    unused: (hashes) => {
      const inUse = new Set(used.all(JSON.stringify(hashes)) as string[]);
      return hashes.filter((hash) => !inUse.has(hash));
    },
    rejection: (s) => (readRejection.get(s.imageId, s.contentUrl) as { reason: string } | undefined)?.reason ?? null,
    reject: (s, reason) => void writeRejection.run(s.imageId, s.contentUrl, reason, new Date().toISOString()),
    imageSource: (imageId) => source.get(imageId) as ImageSource | undefined,
    get: (imageId) => read.get(imageId) as PyramidRecord | undefined,
    save: (record) => void write.run({ ...record, builtAt: new Date().toISOString() }),
  };
}
