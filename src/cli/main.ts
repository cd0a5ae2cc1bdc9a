#!/usr/bin/env node
// First: silences the AWS SDK's Node 22 notice before any SDK module loads (see the module for why and until when).
import '../node-support.js';
import { runCli } from './run.js';

// The clock, env and streams enter here and nowhere deeper.
process.exitCode = await runCli(process.argv.slice(2), {
  env: process.env,
  stdout: process.stdout,
  stderr: process.stderr,
  nowMs: () => Date.now(),
});
