import type { TrainConfig } from './train-config';
import type { EvalDetail, TrainerMessage } from './train-protocol';

// The run messages as the renderer receives them. The main process paces the
// trainer's messages for display (src-main/services/training/train-stream.ts): every
// evaluation point arrives, but only the newest evaluation of a delivery
// carries its per-image detail (the galleries show only the latest), never
// the 10,000 x 10 class probabilities (the enlarged digit asks for its ten
// with lab.testProbs), and the first-layer weights only as a notice that newer ones exist (the Hidden units
// panel asks for them with lab.hiddenWeights when it is on screen). The session store and the CLI see the
// trainer's own messages, unpaced.

type EvalMessage = Extract<TrainerMessage, { type: 'eval' }>;

/** An evaluation's per-image detail as the display stream carries it: without the class probabilities. */
export type StreamEvalDetail = Omit<EvalDetail, 'probs'>;

/** An 'eval' on the display stream: detail null when a later evaluation in the same delivery supersedes it. */
export type StreamEvalMessage = Omit<EvalMessage, 'detail'> & { detail: StreamEvalDetail | null };

type StartedMessage = Extract<TrainerMessage, { type: 'started' }>;

/**
 * A 'started' on the display stream. A run started from the Training view (not by a sweep or study) carries its
 * settings, so every open window (every browser tab of one lab) can follow it, not only the one that started it.
 */
export type StreamStartedMessage = StartedMessage & { config?: TrainConfig };

type WeightsMessage = Extract<TrainerMessage, { type: 'weights' }>;

/** A 'weights' on the display stream: which iteration the newest weights are from and their shape, no numbers. */
export type StreamWeightsMessage = Pick<WeightsMessage, 'type' | 'runId' | 'iter' | 'hidden' | 'inputs'>;

export type TrainStreamMessage =
  | Exclude<TrainerMessage, { type: 'eval' } | { type: 'started' } | { type: 'weights' }>
  | StreamStartedMessage
  | StreamEvalMessage
  | StreamWeightsMessage;

/** The 'end' message of a run, as cancelTraining answers it. */
export type RunEndMessage = Extract<TrainerMessage, { type: 'end' }>;
