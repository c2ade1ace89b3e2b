import type { MapPath } from '../../../src-core/train/sharpness/map-path';

// The training run whose path the Momentum view's phase diagram draws
// ("Show on the momentum map" in a run's sharpness chart). Module state, so
// it survives the switch of views; the Momentum view clears it on request.

class RunPathState {
  path = $state.raw<MapPath | null>(null);
}

export const runPath = new RunPathState();
