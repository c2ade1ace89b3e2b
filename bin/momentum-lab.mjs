#!/usr/bin/env node
// Momentum Lab's headless command line. It runs the TypeScript sources
// through tsx, so the CLI uses exactly the services and workers the app uses.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src-main/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
