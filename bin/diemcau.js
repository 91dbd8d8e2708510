#!/usr/bin/env node
// Tiny shim: the program is built into dist/ (`npm run build`), bundled for a fast start.
import('../dist/bundle/main.js').then((m) => m.main(process));
