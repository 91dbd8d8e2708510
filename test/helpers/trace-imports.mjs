// `node --import ./test/helpers/trace-imports.mjs …` appends every module URL
// the program resolves to the file named by DIEMCAU_TRACE_IMPORTS: how tests
// and benchmarks prove that `diemcau --help` loads nothing heavy.
import { register } from 'node:module';

const log = process.env.DIEMCAU_TRACE_IMPORTS;
if (log) register(new URL('./trace-hooks.mjs', import.meta.url), { data: { log } });
