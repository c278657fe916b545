/** The conformance checker as a library: `runConformance(options)`, `replayConformance(files)`, the report renderers. */
export { runConformance, evaluate, OptionsError, type ConformanceReport } from './run.ts';
export { replayConformance } from './replay.ts';
export { formatConsole, formatJUnit, writeAtomically, writeReports } from './report.ts';
export type { ConformanceOptions, TargetValues, NegativeMode } from './options.ts';
export type { Exchange } from './exchange.ts';
export type { Finding } from './findings.ts';
export { TAG_KEY } from './lifecycle.ts';
