#!/usr/bin/env node
// `npm run dev` and `npm run dist` need Electron's binary, which `npm ci` does not download here.
// Without it, stop with one line that says what is missing and how to get it, instead of a stack
// trace from deep inside the tooling.
import { missingElectron } from './electron-binary.mjs';

const problem = missingElectron();
if (problem !== null) {
  console.error(`stacktray: ${problem}`);
  process.exit(1);
}
