/**
 * What a FHIR server says it can do (its CapabilityStatement, read at `[base]/metadata`), and what
 * of the desk's work that leaves undone. Pure: sync reads the statement and acts on the gaps.
 */
import { REFERENCED_TYPES, REFERRAL_PARTS } from '../sync/scope';

export interface ServerCapabilities {
  /** Search parameters by resource type, `_id` and `_lastUpdated` among them when offered. */
  searches: ReadonlyMap<string, ReadonlySet<string>>;
  transaction: boolean;
  /** Conditional create (ifNoneExist) for the resources an outcome creates. */
  conditionalCreate: boolean;
  /** Updates checked against the version read (If-Match), for claiming a review Task. */
  versionedUpdate: boolean;
  /** Resource types the server creates (its `create` interaction): an outcome creates some. */
  creates: ReadonlySet<string>;
}

/** What an outcome creates on the server, and what cannot be sent without it. */
const OUTCOME_CREATES: Readonly<Record<string, string>> = {
  Communication: 'no outcome can be sent: each is a Communication to the GP',
  ServiceRequest: 'an onward referral (to plastics, ENT, surgery or community dermatology) cannot be sent',
};

/** What the server lacks and what follows from it, in words for the consultant. */
export interface CapabilityGaps {
  /** No search of referrals by the service they are addressed to: the desk takes nothing. */
  cannotScope: boolean;
  /** No `_lastUpdated`: each sync reads the service's work again in full. */
  noChangesSince: boolean;
  /** No ServiceRequest search by status: a first sync reads every referral to the service and keeps the open ones. */
  noStatusSearch: boolean;
  /** No ServiceRequest search by subject: a patient's earlier referrals are not asked for. */
  noHistory: boolean;
  /** Parts of a referral that cannot be asked for, by type. */
  missingParts: string[];
  /** Said once to the consultant. */
  messages: string[];
}

const PART_WORDS: Record<string, string> = {
  Task: 'review tasks (who is reviewing a case, or whether it was withdrawn)',
  QuestionnaireResponse: "the GP's questionnaire answers",
  Consent: "the patient's consents (shown as not recorded)",
  Media: 'images sent as Media',
  DocumentReference: 'images sent as documents',
};

type Json = Record<string, unknown>;
const list = (value: unknown): Json[] => (Array.isArray(value) ? value.filter((v): v is Json => typeof v === 'object' && v !== null) : []);
const codes = (value: unknown): string[] => list(value).map((i) => i.code).filter((c): c is string => typeof c === 'string');

/** The capabilities a statement declares; anything unreadable counts as not offered. */
export function readCapabilities(statement: unknown): ServerCapabilities {
  const rest = list((statement as Json | null)?.rest).find((r) => r.mode === 'server') ?? list((statement as Json | null)?.rest)[0] ?? {};
  const resources = list(rest.resource);
  // Parameters the server declares for every type (_id, _lastUpdated) are listed once, beside the types.
  const everywhere = list(rest.searchParam).map((p) => String(p.name));
  const searches = new Map(resources.map((r) => [String(r.type), new Set([...everywhere, ...list(r.searchParam).map((p) => String(p.name))])]));
  const creating = resources.filter((r) => Object.hasOwn(OUTCOME_CREATES, String(r.type)));
  const task = resources.find((r) => r.type === 'Task');
  return {
    searches,
    transaction: codes(rest.interaction).includes('transaction'),
    conditionalCreate: creating.length > 0 && creating.every((r) => r.conditionalCreate === true),
    versionedUpdate: task?.versioning === 'versioned-update',
    creates: new Set(resources.filter((r) => codes(r.interaction).includes('create')).map((r) => String(r.type))),
  };
}

export function capabilityGaps(capabilities: ServerCapabilities): CapabilityGaps {
  const has = (type: string, param: string): boolean => capabilities.searches.get(type)?.has(param) ?? false;
  const messages: string[] = [];
  const cannotScope = !has('ServiceRequest', 'performer');
  if (cannotScope) {
    messages.push('This server cannot search referrals by the service they are addressed to (ServiceRequest performer): the desk cannot tell its service\'s work from other specialties\' and takes nothing from it.');
  }
  const noChangesSince = ['ServiceRequest', ...REFERRAL_PARTS.map((p) => p.type), ...REFERENCED_TYPES].some((type) => !has(type, '_lastUpdated'));
  if (noChangesSince) messages.push('This server cannot search by _lastUpdated: each sync reads all of the service\'s work again, which takes longer.');
  const noStatusSearch = !has('ServiceRequest', 'status');
  if (noStatusSearch) messages.push('This server cannot search referrals by status: a first sync reads every referral ever sent to the service and keeps the open ones, which takes longer.');
  const noHistory = !has('ServiceRequest', 'subject');
  if (noHistory) messages.push('This server cannot search referrals by patient (subject): a patient\'s earlier referrals cannot be shown for comparison.');
  const missingParts = REFERRAL_PARTS.filter((p) => !has(p.type, p.param)).map((p) => p.type);
  for (const type of missingParts) {
    const part = REFERRAL_PARTS.find((p) => p.type === type);
    messages.push(`This server cannot search ${type} by ${part?.param}: ${PART_WORDS[type]} cannot be read.`);
  }
  const missingIds = ['ServiceRequest', ...REFERENCED_TYPES].filter((type) => !has(type, '_id'));
  if (missingIds.length > 0) messages.push(`This server cannot search ${missingIds.join(', ')} by _id: the desk cannot fetch what its referrals refer to.`);
  for (const [type, lost] of Object.entries(OUTCOME_CREATES)) {
    if (!capabilities.creates.has(type)) messages.push(`This server does not say it creates ${type} resources: ${lost}; what is signed stays on the desk, not sent.`);
  }
  if (!capabilities.transaction) messages.push('This server cannot take outcomes as one transaction: outcomes will be refused when sent, and stay on the desk, not sent.');
  else if (!capabilities.conditionalCreate) messages.push('This server does not offer conditional create: an outcome sent again after a lost answer could reach the GP twice.');
  if (!capabilities.versionedUpdate) messages.push('This server does not check updates against the version read (If-Match): two consultants could claim the same case at once.');
  return { cannotScope, noChangesSince, noStatusSearch, noHistory, missingParts, messages };
}
