import type { EvalJob } from './fast-net';
import type { KernelExports } from './instance';

/**
 * Evaluates images [from, from + count) of job with the kernels k (of any instance over the job's memory): the forward
 * pass, then the evaluation head into the job's slot. FastNet.evalRows on the training thread and the evaluation thread
 * (src-core/node/eval-thread-main.ts) both run this.
 */
export function evalRows(k: KernelExports, job: EvalJob, from: number, count: number): void {
  k.forward(
    job.a,
    job.z + from * 40,
    job.H,
    job.w1,
    job.b1,
    job.w2,
    job.b2,
    job.start,
    job.packed,
    job.unit,
    job.idx + from * 4,
    count,
    job.act,
  );
  k.evalHead(
    job.z,
    job.y,
    from,
    count,
    job.loss,
    job.probs,
    job.predicted,
    job.confidence,
    job.confusion,
    job.out,
    job.pr,
  );
}

/** Runs a whole job, chunk by chunk. */
export function evalJobRows(k: KernelExports, job: EvalJob): void {
  for (let from = 0; from < job.count; from += job.chunk) evalRows(k, job, from, Math.min(job.chunk, job.count - from));
}
