// @quiesce/verify: prove that a service drains on SIGTERM. `verify()` is what the quiesce-verify CLI
// runs; the load driver, the outcome classification and the service process are exported for
// harnesses of one's own (the repository's shutdown benchmark uses them).
export { verify } from './verify.js';
export type { VerifyOptions } from './options.js';
export { UsageError } from './errors.js';
export { startHttpLoad } from './load/http.js';
export type { HttpLoad, HttpLoadOptions, HttpRequestSpec } from './load/http.js';
export type { LoadContext, LoadFunction, WorkUnit } from './load/module.js';
export { classifyError, classifyStatus, countOutcomes, isUncleanAfterSignal, markAgainstSignal } from './outcome.js';
export type { ClassifiedFailure } from './outcome.js';
export { startService, killAllServices, killAllServicesAndWait, exitCodeOf, ServiceProcess } from './service.js';
export type { ServiceExit, StartServiceOptions } from './service.js';
export { parseTimeline, readTimeline, TIMELINE_ENV } from './timeline.js';
export { judge } from './verdict.js';
export type { RunFacts } from './verdict.js';
export { formatReport, formatRun } from './format.js';
export { now } from './clock.js';
export type * from './report-types.js';
