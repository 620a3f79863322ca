import { z } from 'zod';

export const AUDIT_ACTIONS = ['case.opened', 'image.viewed', 'outcome.signed', 'outcome.undone', 'outcome.sent', 'outcome.held', 'outcome.set-aside', 'outcome.handled-elsewhere', 'teaching.exported', 'teaching.refused', 'cache.reset', 'cache.removed', 'notice.acknowledged'] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export const AUDIT_ACTION_LABELS: Record<AuditAction, string> = {
  'case.opened': 'Opened case',
  'image.viewed': 'Viewed image',
  'outcome.signed': 'Signed outcome',
  'outcome.undone': 'Undid outcome',
  'outcome.sent': 'Sent outcome',
  'outcome.held': 'Held outcome',
  'outcome.set-aside': 'Set a held outcome aside, to amend it',
  'outcome.handled-elsewhere': 'Marked a held outcome handled elsewhere',
  'teaching.exported': 'Exported images for teaching',
  'teaching.refused': 'Refused teaching export',
  'cache.reset': 'Started a fresh cache (old one unreadable)',
  'cache.removed': 'Removed finished work from the cache',
  'notice.acknowledged': 'Read an alert about the desk',
};

export const auditEntrySchema = z.object({
  seq: z.number().int().positive(),
  at: z.iso.datetime({ offset: true }),
  /** The consultant (Practitioner id) who did it. */
  actor: z.string(),
  action: z.enum(AUDIT_ACTIONS),
  /** What it was done to: a referral, image or outcome id. */
  subject: z.string(),
  detail: z.string(),
});
export type AuditEntry = z.infer<typeof auditEntrySchema>;

export const auditReportSchema = z.object({
  entries: z.array(auditEntrySchema),
  /** Whether every entry's hash still follows from the one before; where the chain breaks if not. */
  chain: z.discriminatedUnion('intact', [
    z.object({ intact: z.literal(true), length: z.number().int().nonnegative() }),
    z.object({ intact: z.literal(false), brokenAt: z.number().int(), reason: z.string() }),
  ]),
});
export type AuditReport = z.infer<typeof auditReportSchema>;
