import { z } from 'zod';
import type { TrainerMessage } from './train-protocol';

// The trainer process's own part of its channel, beside the run messages of train-protocol.ts: the requests it
// accepts, checked where they arrive, and 'ready', which it sends after a run's 'end' when it may take the next
// run (a study's or sweep's runs reuse their trainer processes; docs/PERFORMANCE.md, issue 18). 'ready' is for
// whoever lends the process out; observers of runs never see it.

const runId = z.string().min(1).max(200);

/** The requests a trainer process accepts (the config itself is checked by the trainer's set-up). */
export const TrainerRequestSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('start'),
    runId,
    config: z.unknown(),
    dataset: z
      .object({ trainImages: z.string(), trainLabels: z.string(), testImages: z.string(), testLabels: z.string() })
      .strict(),
  }),
  z.object({ type: z.literal('cancel'), runId }),
]);

/**
 * The process is idle and clean after run `runId` ended (its evaluations all settled, nothing failed) and may take
 * another run: `runs` it has served so far; `net`: whether that run's packed images were reused from the run
 * before ('reused'), packed anew ('built'), or not used ('none': the reference kernels, or no set-up).
 */
export const TrainerReadySchema = z
  .object({
    type: z.literal('ready'),
    runId,
    runs: z.number().int().min(1),
    net: z.enum(['reused', 'built', 'none']),
  })
  .strict();
export type TrainerReady = z.infer<typeof TrainerReadySchema>;

/** Everything a trainer process sends: the run's messages and 'ready'. */
export type TrainerProcessMessage = TrainerMessage | TrainerReady;
