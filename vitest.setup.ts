import fc from 'fast-check';

// Property tests replay the same cases on every run, so CI is reproducible;
// FC_SEED=<n> explores other cases (a soak), and a failure prints its seed.
fc.configureGlobal({ seed: Number(process.env['FC_SEED'] ?? 20261128) });
