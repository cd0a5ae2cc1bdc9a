#!/usr/bin/env node
import { runCli } from './run.js';

// The clock, env and streams enter here and nowhere deeper.
process.exitCode = await runCli(process.argv.slice(2), {
  env: process.env,
  stdout: process.stdout,
  stderr: process.stderr,
  nowMs: () => Date.now(),
});
