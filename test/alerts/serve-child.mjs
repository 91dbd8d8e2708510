// `diemcau registry serve` of a built CLI (argv as the real binary takes it) with the
// test webhook kind as its channels: node serve-child.mjs <dist dir> registry serve ...
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { testLookup } from './webhook-kind.mjs';

const dist = process.argv.splice(2, 1)[0];
const { useChannelLookup } = await import(pathToFileURL(path.join(dist, 'alerts/lookup.js')).href);
useChannelLookup(testLookup);
const { main } = await import(pathToFileURL(path.join(dist, 'cli/main.js')).href);
await main(process);
