// Expectations the assignment's tests share in every layer (core, CLI, e2e), written out by hand from the
// assignment's text, never read from the code under test.

/** The assignment's simulations, named and ordered as the assignment names them. */
export const ASSIGNMENT_SIMULATIONS = [
  'Simulation 1',
  'Simulation 2',
  'Simulation 3 (LR 0.01)',
  'Simulation 3 (LR 1, BS 64)',
  'Simulation 4',
  'Simulation 5',
  'Simulation 6',
];
