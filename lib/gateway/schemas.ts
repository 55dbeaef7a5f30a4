// The gateway's inputs: what Canopy Edge sends (the config long poll's query, a status report).
import { z } from 'zod';
import { CONNECTION_STATES } from '@/lib/registries/rules';

/** The longest a config long poll may wait, in seconds. */
export const MAX_WAIT_SECONDS = 60;

export const configQuery = z.object({ wait: z.coerce.number().int().min(0).max(MAX_WAIT_SECONDS).default(0) });

/** How far ahead of Canopy's clock a reported time may be (the registry's clock may run a little fast). */
export const MAX_CLOCK_SKEW_MS = 5 * 60 * 1000;

export const statusInput = z
  .object({
    connectionState: z.enum(CONNECTION_STATES),
    version: z.string().trim().max(100).optional(),
    lastSyncTime: z.iso
      .datetime({ offset: true })
      .refine((t) => Date.parse(t) <= Date.now() + MAX_CLOCK_SKEW_MS, 'lastSyncTime is in the future: check the registry’s clock.')
      .optional(),
    statusDetails: z
      .array(
        z.object({
          type: z.string().max(100),
          code: z.string().max(100),
          description: z.string().max(1000),
          timestamp: z.iso.datetime({ offset: true }).optional(),
        }),
      )
      .max(20)
      .optional(),
    /** when the state was observed: a report queued while offline arrives later than that */
    observedTime: z.iso.datetime({ offset: true }).optional(),
  })
  .strict();

export type StatusInput = z.infer<typeof statusInput>;
