/** Whether the desk is signed in to the FHIR server, as the renderer shows it. */
import { z } from 'zod';

export const authStatusSchema = z.object({
  /** signed-out: requests wait for sign-in; work already done is kept and sent afterwards. */
  state: z.enum(['signed-in', 'signing-in', 'signed-out', 'not-needed']),
  /** The signed-in user as the server names them, e.g. "Practitioner/consultant-1". */
  user: z.string().nullable(),
  problem: z.string().nullable(),
});
export type AuthStatus = z.infer<typeof authStatusSchema>;
