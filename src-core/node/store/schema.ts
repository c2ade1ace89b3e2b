// The session database's schema, as forward migrations. Migration N brings a
// database from user_version N-1 to N; a new database runs them all. Never
// edit a migration that has shipped: add the next one.
//
// Metric columns are declared without a type (no affinity) so the codec in
// codec.ts can store finite numbers as REAL and NaN / +-Infinity / -0 as the
// text 'NaN', 'Infinity', '-Infinity', '-0' (SQLite itself would turn NaN
// into NULL). Typed arrays are stored as little-endian BLOBs.

/** 'MLab' — marks a file as a Momentum Lab session database. */
export const APPLICATION_ID = 0x4d4c6162;

export const MIGRATIONS: readonly string[] = [
  // v1: sessions, runs, evaluation points, per-iteration batches.
  `
  CREATE TABLE sessions (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
  );
  CREATE TABLE runs (
    id TEXT PRIMARY KEY,
    session_id INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    config TEXT NOT NULL,
    seed INTEGER NOT NULL,
    dataset_id TEXT NOT NULL,
    dataset_name TEXT NOT NULL,
    app_version TEXT NOT NULL,
    status TEXT NOT NULL,
    message TEXT NOT NULL DEFAULT '',
    started_at INTEGER NOT NULL,
    ended_at INTEGER,
    train_size INTEGER NOT NULL DEFAULT 0,
    test_size INTEGER NOT NULL DEFAULT 0,
    iters_per_epoch INTEGER NOT NULL DEFAULT 0,
    total_iters INTEGER NOT NULL DEFAULT 0,
    iters_done INTEGER NOT NULL DEFAULT 0,
    elapsed_ms,
    subset BLOB
  );
  CREATE INDEX runs_by_session ON runs(session_id, started_at);
  CREATE TABLE evals (
    run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    iter INTEGER NOT NULL,
    epoch, examples, train_loss, train_acc, test_loss, test_acc, elapsed_ms,
    confusion BLOB,
    PRIMARY KEY (run_id, iter)
  ) WITHOUT ROWID;
  CREATE TABLE batches (
    run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    from_iter INTEGER NOT NULL,
    loss BLOB NOT NULL,
    acc BLOB NOT NULL,
    PRIMARY KEY (run_id, from_iter)
  ) WITHOUT ROWID;
  `,
  // v2: notes on runs, runs grouped by sweep and owned by a process (so a
  // reopened store can tell a dead run from one another process is still
  // writing), per-evaluation predictions and misclassified digits, and a
  // small key/value table (the session to reopen on start).
  `
  ALTER TABLE runs ADD COLUMN notes TEXT NOT NULL DEFAULT '';
  ALTER TABLE runs ADD COLUMN sweep_id TEXT;
  ALTER TABLE runs ADD COLUMN owner_pid INTEGER;
  ALTER TABLE evals ADD COLUMN predicted BLOB;
  ALTER TABLE evals ADD COLUMN misclassified BLOB;
  ALTER TABLE evals ADD COLUMN mis_predicted BLOB;
  ALTER TABLE evals ADD COLUMN mis_confidence BLOB;
  CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
  `,
  // v3: momentum-simulator runs. The simulator is pure, so the request
  // reproduces every trajectory bit for bit; what each optimizer reached is
  // kept beside it (JSON with non-finite numbers tagged, see sim-json.ts).
  `
  CREATE TABLE sims (
    id TEXT PRIMARY KEY,
    session_id INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    notes TEXT NOT NULL DEFAULT '',
    request TEXT NOT NULL,
    runs TEXT NOT NULL,
    app_version TEXT NOT NULL,
    created_at INTEGER NOT NULL
  );
  CREATE INDEX sims_by_session ON sims(session_id, created_at);
  `,
  // v4: first-layer weights (hidden x inputs, unit-major Float32 blob) of a
  // run at some of its evaluations: always the latest, plus a log-spaced
  // history (the 1st, 4th, 16th, 64th, ... evaluation; history = 1), which
  // record.ts keeps (see appendWeights). A rowid table, not WITHOUT ROWID:
  // rows are ~200 KB.
  `
  CREATE TABLE weights (
    run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    iter INTEGER NOT NULL,
    hidden INTEGER NOT NULL,
    inputs INTEGER NOT NULL,
    w1 BLOB NOT NULL,
    history INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (run_id, iter)
  );
  `,
  // v5 (issue 12, liveness): run liveness: when the process that records a run last showed it
  // is alive (ms since 1970). It writes it with every batch and evaluation and
  // at least every 10 s (SessionStore's heartbeat); a 'running' run whose
  // heartbeat is older than 60 s is dead, whatever process now has its
  // owner_pid (a PID is reused after a reboot). See liveness.ts.
  `
  ALTER TABLE runs ADD COLUMN heartbeat_at INTEGER;
  `,
  // v6 (issue 17): each evaluation's validation loss and accuracy (images carved out of
  // the training file, never trained on: the curve early stopping and the best
  // point are chosen on). NULL for runs without a validation set, including
  // every run recorded before it existed; their configs lacked "validation": it is
  // written as 0 into them here, so the schema's default (5,000) never
  // applies to a run that had none.
  `
  ALTER TABLE evals ADD COLUMN val_loss;
  ALTER TABLE evals ADD COLUMN val_acc;
  UPDATE runs SET config = json_set(config, '$.validation', 0) WHERE json_valid(config) AND json_type(config, '$.validation') IS NULL;
  `,
  // v7 (issue 12, scale): a narrow covering index of each run's evaluation
  // numbers (validation included), so a run's summary (evaluation count, final and best test
  // accuracy) and its curves are read from it instead of from the evaluation
  // rows, which carry the test-set snapshots (~100 KB each); and a partial
  // index of the runs still marked running (checked on every open and delete).
  `
  CREATE INDEX evals_summary ON evals(run_id, iter, test_acc, test_loss, epoch, examples, train_loss, train_acc, elapsed_ms, val_loss, val_acc);
  CREATE INDEX runs_running ON runs(status) WHERE status = 'running';
  `,
  // v8 (issue 15, sharpness): per evaluation, the sharpness estimate (λ_max of
  // the training-loss Hessian on the sharpness set; NULL where not measured),
  // its negative smallest Ritz value (NULL when none), the Hessian-vector
  // products it used, and per layer (fc1, fc2) the sign-flip fraction and the
  // median velocity ratio over the interval (NULL for runs recorded before,
  // and on a restored early-stop point). The covering index of the curves is
  // rebuilt with them so a session's curves still never read the evaluation rows.
  `
  ALTER TABLE evals ADD COLUMN sharpness;
  ALTER TABLE evals ADD COLUMN sharpness_min;
  ALTER TABLE evals ADD COLUMN hvps;
  ALTER TABLE evals ADD COLUMN fc1_flip;
  ALTER TABLE evals ADD COLUMN fc1_velocity;
  ALTER TABLE evals ADD COLUMN fc2_flip;
  ALTER TABLE evals ADD COLUMN fc2_velocity;
  DROP INDEX evals_summary;
  CREATE INDEX evals_summary ON evals(run_id, iter, test_acc, test_loss, epoch, examples, train_loss, train_acc, elapsed_ms, val_loss, val_acc,
    sharpness, sharpness_min, hvps, fc1_flip, fc1_velocity, fc2_flip, fc2_velocity);
  `,
  // v9 (issue 15, full-network export): the rest of the network beside each kept
  // first layer, at the same evaluation: b1 (hidden), w2 (outputs x hidden,
  // PyTorch's fc2.weight layout) and b2 (outputs), Float32 blobs. NULL for
  // weights recorded before (a whole-network export of those is refused), and
  // all three NULL or all three present.
  `
  ALTER TABLE weights ADD COLUMN b1 BLOB;
  ALTER TABLE weights ADD COLUMN w2 BLOB;
  ALTER TABLE weights ADD COLUMN b2 BLOB;
  `,
  // v10 (issue 16, item 6: links are fields): a run's study is a field, not text in its notes. study_id (the
  // study's sweep id), study_kind ('lr', 'batchSize', 'hidden', 'trainSize', 'momentum', 'assignment'), study_name
  // (its title) and seed_group (the runs of one value repeated over seeds share it, e.g. "LR 0.1"); all NULL for a
  // run of no study. Runs recorded before were marked only by a first notes line "Study: <name>" on a sweep run
  // and by ", seed k" at the end of their names: read once here, the notes line moves into study_name (the rest of
  // the notes stays), the kind is read from the name's title, and the name without ", seed k" becomes the group.
  `
  ALTER TABLE runs ADD COLUMN study_id TEXT;
  ALTER TABLE runs ADD COLUMN study_kind TEXT;
  ALTER TABLE runs ADD COLUMN study_name TEXT;
  ALTER TABLE runs ADD COLUMN seed_group TEXT;
  UPDATE runs SET
    study_id = sweep_id,
    study_name = CASE WHEN instr(notes, char(10)) > 0 THEN substr(notes, 8, instr(notes, char(10)) - 8) ELSE substr(notes, 8) END,
    notes = CASE WHEN instr(notes, char(10)) > 0 THEN substr(notes, instr(notes, char(10)) + 1) ELSE '' END
  WHERE sweep_id IS NOT NULL AND substr(notes, 1, 7) = 'Study: ' AND length(trim(substr(notes, 8, CASE WHEN instr(notes, char(10)) > 0 THEN instr(notes, char(10)) - 8 ELSE length(notes) END))) > 0;
  UPDATE runs SET study_kind = CASE
      WHEN study_name LIKE 'Learning rate study%' THEN 'lr'
      WHEN study_name LIKE 'Batch size study%' THEN 'batchSize'
      WHEN study_name LIKE 'Hidden size study%' THEN 'hidden'
      WHEN study_name LIKE 'Training-set size study%' THEN 'trainSize'
      WHEN study_name LIKE 'Momentum study%' THEN 'momentum'
    END
  WHERE study_id IS NOT NULL;
  UPDATE runs SET seed_group = CASE
      WHEN instr(name, ', seed ') > 1 AND length(substr(name, instr(name, ', seed ') + 7)) > 0
        AND substr(name, instr(name, ', seed ') + 7) NOT GLOB '*[^0-9]*'
      THEN substr(name, 1, instr(name, ', seed ') - 1)
      ELSE name END
  WHERE study_id IS NOT NULL;
  CREATE INDEX runs_by_study ON runs(study_id) WHERE study_id IS NOT NULL;
  `,
];

/** The schema version this build writes (PRAGMA user_version). */
export const SCHEMA_VERSION = MIGRATIONS.length;
