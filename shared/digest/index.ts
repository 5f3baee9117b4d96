/**
 * Scheduled digests: the tick that fans out one job per due space, the job
 * that composes, posts and records one space's digest once per period, and
 * the pieces they are made of. Import from here.
 */
export {
  handleDigestTick,
  inParallel,
  type DigestTickDeps,
  type DigestTickReport,
} from './tick.js';
export { handleDigestJob, type DigestJobDeps, type DigestJobOutcome } from './job.js';
export { buildScheduledDigest, type ScheduledDigestDeps } from './scheduled.js';
export {
  digestServicesFromConfig,
  type DigestOverrides,
  type DigestServices,
} from './from-config.js';
export { digestId, digestRequestId } from './identity.js';
export { readPeriod, versionBefore, type PeriodEvents } from './period.js';
export {
  summarize,
  isQuiet,
  type DigestSummary,
  type IncidentNote,
  type Tally,
} from './summary.js';
export {
  DIGEST_MAX_BYTES,
  renderDigest,
  renderQuietNote,
  sizeOf,
  type DigestView,
  type RenderedDigest,
} from './render.js';
export {
  deliverDigest,
  type Delivery,
  type DigestDelivered,
  type DigestPoster,
} from './deliver.js';
export { nextDigestAt, type DigestTiming } from './schedule.js';
