import type { FastNet } from '../mlp/wasm/fast-net';
import type { EvalRunner } from './eval-runner';
import { evalMessage, fastPass, GO_ON, weightsMessage } from './evaluator';
import type { EvalContext, EvalOutcome, EvalRequest, Evaluator } from './evaluator';

/**
 * Overlapped evaluation: each point snapshots the weights into a free slot of the run's memory and hands the slot to
 * the evaluation thread (test pass, validation pass, then the sharpness of the same snapshot when asked), while
 * training goes on. The point's message is queued in order and sent when the thread is done; training waits only
 * when both slots are still busy.
 */
export function threadEvaluator(ctx: EvalContext, net: FastNet, runner: EvalRunner): Evaluator {
  const { act, loss } = ctx.run;
  const busy: (Promise<unknown> | null)[] = Array.from({ length: net.slots }, () => null);
  let next = 0;
  return {
    async evaluate(request: EvalRequest): Promise<EvalOutcome> {
      const slot = next;
      next = (next + 1) % busy.length;
      if (busy[slot]) await busy[slot];
      net.snapshot(slot);
      const job = net.evalJob(slot, act, loss);
      const vjob = net.valJob(slot, act, loss);
      const done = runner
        .run({ jobs: vjob ? [job, vjob] : [job], sharpness: request.sharpness })
        .then((sharp) => evalMessage(ctx, request, fastPass(net, slot), net.valResult(slot), sharp));
      busy[slot] = done.catch(() => undefined);
      ctx.out.later(done);
      ctx.out.emit(weightsMessage(ctx.runId, request.head.iter, ctx.run.params));
      return GO_ON;
    },
    close: () => runner.close(),
  };
}
