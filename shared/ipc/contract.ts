/**
 * The IPC contract: every request the renderer may make and every event the main process may
 * push. The Electron preload and handlers, the browser test carrier and the renderer's client
 * are all derived from these two lists.
 */
import { z } from 'zod';
import {
  caseDetailSchema,
  claimSchema,
  imageIdSchema,
  pyramidSchema,
  referralIdSchema,
  referralSummarySchema,
  thumbnailSchema,
} from '../domain/referral';
import { authStatusSchema } from '../domain/auth-status';
import { syncProblemSchema, syncStatusSchema } from '../domain/sync-status';
import { auditReportSchema } from '../audit/audit-entry';
import { teachingExportRequestSchema, teachingExportResultSchema } from '../domain/teaching-export';
import { outcomeDraftSchema, SET_ASIDE_HOW, signedOutcomeSchema } from '../outcome/outcome';
import { newUserTemplateSchema, userTemplateSchema } from '../outcome/templates';

/** Something about the desk itself the consultant must read: shown until dismissed. */
export const DESK_NOTICE_IDS = ['key-store-warning', 'cache-reset', 'bank-holidays-ending', 'server-limits', 'clock-skew', 'outcomes-restored', 'outcome-journal'] as const;
export const deskNoticeSchema = z.object({
  id: z.enum(DESK_NOTICE_IDS),
  level: z.enum(['warning', 'alert']),
  message: z.string().min(1).max(4000),
  /** Kept until the consultant says they have read it (desk.acknowledge), across restarts. */
  lasting: z.boolean(),
});
export type DeskNotice = z.infer<typeof deskNoticeSchema>;

export const deskInfoSchema = z.object({
  /** Where referrals come from; `demo` means the built-in hub with synthetic patients. */
  /** The FHIR server, and the service (a HealthcareService, Organization or PractitionerRole reference) whose work the desk reviews. */
  source: z.object({ kind: z.enum(['demo', 'server']), url: z.string(), service: z.string() }),
  /** Base address for deep-zoom tiles; differs between carriers (custom scheme or test host). */
  tileBaseUrl: z.string(),
  /** The consultant using the desk (a Practitioner id on the server), if known. */
  reviewer: z.object({ practitionerId: z.string(), name: z.string() }).nullable(),
  /** Idle time after which patient data is hidden until the consultant unlocks the desk. */
  lockAfterMs: z.number().int().min(1000).max(60 * 60_000),
  /** About the cache: a key kept without a keyring, or a cache that could not be opened and was replaced. */
  notices: z.array(deskNoticeSchema),
});
export type DeskInfo = z.infer<typeof deskInfoSchema>;

const noPayload = z.undefined();

export const requests = {
  'desk.info': { payload: noPayload, result: deskInfoSchema },
  'queue.list': { payload: noPayload, result: z.array(referralSummarySchema) },
  'case.open': { payload: z.object({ referralId: referralIdSchema }).strict(), result: caseDetailSchema },
  /** Claims the referral's review for this consultant (opening a case does not wait for it). */
  'case.claim': { payload: z.object({ referralId: referralIdSchema }).strict(), result: claimSchema },
  /**
   * Every image of a case as a thumbnail, once each pyramid is built (or refused). Not audited
   * as a view: a thumbnail is too small to read a lesion from; opening an image is.
   */
  'case.thumbnails': { payload: z.object({ referralId: referralIdSchema }).strict(), result: z.array(thumbnailSchema) },
  /** Builds the image's pyramid if it is not cached yet; resolves when tiles can be served. */
  'image.pyramid': { payload: z.object({ imageId: imageIdSchema }).strict(), result: pyramidSchema },
  /** The outcome being written for a referral, kept until signed or discarded; null when there is none. */
  'draft.get': { payload: z.object({ referralId: referralIdSchema }).strict(), result: outcomeDraftSchema.nullable() },
  'draft.save': { payload: z.object({ referralId: referralIdSchema, draft: outcomeDraftSchema }).strict(), result: z.null() },
  'draft.discard': { payload: z.object({ referralId: referralIdSchema }).strict(), result: z.null() },
  /** Signs a draft: stored durably, sent when the undo window closes (its draft is then gone). Refused drafts throw, saying why. */
  'outcome.sign': { payload: z.object({ referralId: referralIdSchema, draft: outcomeDraftSchema }).strict(), result: signedOutcomeSchema },
  'outcome.undo': { payload: z.object({ outcomeId: z.uuid() }).strict(), result: signedOutcomeSchema },
  /** An outcome held, not sent: set aside to amend and sign again, or marked handled elsewhere. */
  'outcome.setAside': { payload: z.object({ outcomeId: z.uuid(), how: z.enum(SET_ASIDE_HOW) }).strict(), result: signedOutcomeSchema },
  /** Every signed outcome and where it stands, newest first. */
  'outcome.list': { payload: noPayload, result: z.array(signedOutcomeSchema) },
  /** The consultant's own outcome templates. */
  'template.list': { payload: noPayload, result: z.array(userTemplateSchema) },
  /** Saves the draft as a template on a free key; a taken key is refused, saying which are free. */
  'template.save': { payload: newUserTemplateSchema, result: userTemplateSchema },
  'template.delete': { payload: z.object({ id: z.uuid() }).strict(), result: z.array(userTemplateSchema) },
  /**
   * Exports the chosen images of a referral for teaching, anonymised, if the patient consented
   * to teaching use; otherwise refused with the reason. Both are audited.
   */
  'teaching.export': { payload: teachingExportRequestSchema, result: teachingExportResultSchema },
  /** The newest audit entries and whether the whole hash chain still holds. */
  'audit.report': { payload: z.object({ limit: z.number().int().min(1).max(10_000) }).strict(), result: auditReportSchema },
  'sync.status': { payload: noPayload, result: syncStatusSchema },
  'sync.now': { payload: noPayload, result: syncStatusSchema },
  /** Resources held back because they could not be read, newest first. */
  'sync.problems': { payload: noPayload, result: z.array(syncProblemSchema) },
  /** The consultant has read a lasting notice: it is not shown again. Gives the notices left. */
  'desk.acknowledge': { payload: z.object({ id: z.enum(DESK_NOTICE_IDS) }).strict(), result: z.array(deskNoticeSchema) },
  /** Whether the desk is signed in to the server. */
  'auth.status': { payload: noPayload, result: authStatusSchema },
  /** Signs in through the consultant's browser; resolves when it has (or has not) worked. */
  'auth.signIn': { payload: noPayload, result: authStatusSchema },
} as const;

export const events = {
  'sync.status': syncStatusSchema,
  /** An outcome changed state (queued, sending, sent, failed, held, undone). */
  'outcome.changed': signedOutcomeSchema,
  /** Signed in, signing in, or signed out (with why). */
  'auth.changed': authStatusSchema,
  /** The desk's notices changed (what the server cannot do, found when a sync reads its capabilities). */
  'desk.notices': z.array(deskNoticeSchema),
} as const;

export type RequestName = keyof typeof requests;
export type EventName = keyof typeof events;
export type Payload<N extends RequestName> = z.infer<(typeof requests)[N]['payload']>;
export type Result<N extends RequestName> = z.infer<(typeof requests)[N]['result']>;
export type EventPayload<E extends EventName> = z.infer<(typeof events)[E]>;

export const requestNames = Object.keys(requests) as RequestName[];
export const eventNames = Object.keys(events) as EventName[];

export function isRequestName(name: unknown): name is RequestName {
  return typeof name === 'string' && Object.hasOwn(requests, name);
}

/** What the main process implements: one function per request. */
export type DeskHandlers = { [N in RequestName]: (payload: Payload<N>) => Promise<Result<N>> };

/** What the renderer sees as `window.desk`. */
export type DeskBridge = DeskHandlers & {
  onEvent<E extends EventName>(name: E, listener: (payload: EventPayload<E>) => void): () => void;
};

/** Electron channel names, one per request, plus one for all pushed events. */
export const requestChannel = (name: RequestName): string => `desk:${name}`;
export const EVENT_CHANNEL = 'desk:event';
