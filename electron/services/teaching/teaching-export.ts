/**
 * Exports a referral's chosen images for teaching, or refuses and says why (images are used for
 * teaching only with the training consent, and only anonymised).
 *
 * The consent is confirmed with the server at the moment of export, not taken from the cache: an
 * export cannot be called back, and a consent withdrawn since the last sync must stop it. Each
 * original is fetched again (the cache holds only tiles), checked before decoding, and re-encoded
 * without metadata; the files get random names, and the manifest holds only facts that teach
 * and cannot identify. Every export and every refusal goes into the audit trail.
 */
import type { Consent } from '@medplum/fhirtypes';
import type { CaseDetail, ConsentRecord } from '../../../shared/domain/referral';
import {
  decideTeachingExport,
  TEACHING_MANIFEST_ABOUT,
  teachingImageFacts,
  type TeachingExportRequest,
  type TeachingExportResult,
  type TeachingImageFacts,
  type TeachingManifest,
} from '../../../shared/domain/teaching-export';
import type { AuditTrail } from '../audit/audit-trail';
import type { CaseStore } from '../db/case-store';
import type { ImageSource } from '../db/pyramid-store';
import { mapConsent, MappingError } from '../fhir/case-mapping';
import { FhirRequestError, type FhirClient } from '../fhir/fhir-client';
import { IMAGE_LIMITS, ImageRejected, inspectImage } from '../images/pyramid-builder';
import { anonymisedJpeg } from './anonymised-image';
import { randomImageFileName, removePartialExports, writeExportFolder, type ExportFile } from './export-folder';

export interface TeachingExportDeps {
  cases: Pick<CaseStore, 'getCase'>;
  imageSource: (imageId: string) => ImageSource | undefined;
  /** Confirms the consent while the consultant waits: short timeout, few retries. */
  consentFhir: FhirClient;
  /** Fetches originals, which may be tens of megabytes. */
  imageFhir: FhirClient;
  /** The SNOMED CT code of the referral's signed (not undone) working diagnosis, if any. */
  signedDiagnosisCode: (referralId: string) => string | null;
  audit: AuditTrail;
  actor: string;
  /** Where exports go; without one the desk refuses to export. */
  exportDir: string | null;
}

/** A refusal the consultant should read; anything else is a fault in the desk. */
class Refused extends Error {}

const NOT_EXPORTED = 'Not exported for teaching:';

function failureText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** The referral's consents as the server holds them now. */
async function consentsOnServer(fhir: FhirClient, referralId: string): Promise<ConsentRecord[]> {
  let entries: unknown[];
  try {
    const bundle = await fhir.search(`Consent?data=${encodeURIComponent(`ServiceRequest/${referralId}`)}&_count=50`);
    entries = (bundle.entry ?? []).map((e) => e.resource).filter((r) => r?.resourceType === 'Consent');
  } catch (err) {
    if (!(err instanceof FhirRequestError)) throw err;
    throw new Refused(`${NOT_EXPORTED} the patient's teaching consent could not be confirmed with the server (${err.message}). Try again when it answers.`);
  }
  try {
    return entries
      .map((resource) => mapConsent(resource as Consent))
      .filter((row) => row.referralId === referralId)
      .map(({ kind, permitted, recordedAt }) => ({ kind, permitted, recordedAt }));
  } catch (err) {
    if (!(err instanceof MappingError)) throw err;
    throw new Refused(`${NOT_EXPORTED} a consent record of this referral on the server could not be read (${err.message}).`);
  }
}

interface Prepared {
  file: ExportFile;
  facts: TeachingImageFacts;
}

async function prepareImage(deps: TeachingExportDeps, detail: CaseDetail, imageId: string): Promise<Prepared> {
  const index = detail.images.findIndex((i) => i.imageId === imageId);
  const image = detail.images[index];
  const source = deps.imageSource(imageId);
  if (!image || !source) throw new Refused(`${NOT_EXPORTED} an image chosen is not in the desk's cache.`);
  const which = `image ${index + 1} of ${detail.images.length}`;
  try {
    const { bytes } = await deps.imageFhir.readBinary(source.contentUrl, IMAGE_LIMITS.maxBytes);
    await inspectImage(bytes, source.contentType);
    const clean = await anonymisedJpeg(bytes);
    const name = randomImageFileName();
    const facts = teachingImageFacts({
      file: name, image, lesionSite: detail.lesionSite, questionnaire: detail.questionnaire,
      diagnosisCode: deps.signedDiagnosisCode(detail.referralId), width: clean.width, height: clean.height,
    });
    return { file: { name, bytes: clean.bytes }, facts };
  } catch (err) {
    if (err instanceof ImageRejected || err instanceof FhirRequestError) throw new Refused(`${NOT_EXPORTED} ${which} could not be exported: ${err.message}`);
    throw err;
  }
}

export function createTeachingExport(deps: TeachingExportDeps): (request: TeachingExportRequest) => Promise<TeachingExportResult> {
  // One export at a time, so clearing up after a crash never removes an export being written.
  let previous: Promise<unknown> = Promise.resolve();

  const refuse = (referralId: string, reason: string): TeachingExportResult => {
    deps.audit.record(deps.actor, 'teaching.refused', referralId, reason);
    return { state: 'refused', reason };
  };

  const run = async ({ referralId, imageIds }: TeachingExportRequest): Promise<TeachingExportResult> => {
    try {
      const exportDir = deps.exportDir;
      if (!exportDir) throw new Refused(`${NOT_EXPORTED} this desk has no teaching export folder set.`);
      const detail = deps.cases.getCase(referralId);
      if (!detail) throw new Refused(`${NOT_EXPORTED} the referral is not in the desk's cache.`);
      const consents = await consentsOnServer(deps.consentFhir, referralId);
      const decision = decideTeachingExport({ withdrawn: detail.state === 'withdrawn', consents, images: detail.images, selected: imageIds });
      if (!decision.allowed) throw new Refused(decision.reason);

      const prepared: Prepared[] = [];
      for (const imageId of decision.imageIds) prepared.push(await prepareImage(deps, detail, imageId));
      const manifest: TeachingManifest = { about: TEACHING_MANIFEST_ABOUT, images: prepared.map((p) => p.facts) };
      await removePartialExports(exportDir);
      let folder: string;
      try {
        folder = await writeExportFolder(exportDir, [
          ...prepared.map((p) => p.file),
          { name: 'manifest.json', bytes: `${JSON.stringify(manifest, null, 2)}\n` },
        ]);
      } catch (err) {
        throw new Refused(`${NOT_EXPORTED} the export folder could not be written (${failureText(err)}).`);
      }
      const files = prepared.map((p) => p.file.name);
      const folderName = folder.slice(exportDir.length).replace(/^[\\/]+/, '');
      // The image ids are what "image.viewed" entries name; the folder lets an export be traced.
      deps.audit.record(deps.actor, 'teaching.exported', referralId, `${files.length} anonymised image${files.length === 1 ? '' : 's'} (${decision.imageIds.join(', ')}) to ${folderName}`);
      return { state: 'exported', count: files.length, folder, files };
    } catch (err) {
      if (err instanceof Refused) return refuse(referralId, err.message);
      throw err;
    }
  };

  return (request) => {
    const next = previous.then(() => run(request));
    previous = next.catch(() => undefined);
    return next;
  };
}
