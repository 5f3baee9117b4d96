/**
 * Entry module of `scheduledDigest`, the event function Cloud Scheduler's
 * tick reaches through the digest-ticks topic. It only wires: configuration
 * is read once, collaborators are built once per instance, and the handler
 * is registered.
 */
import * as functions from '@google-cloud/functions-framework';
import { loadProcessConfig } from '../shared/config.js';
import { digestServicesFromConfig } from '../shared/digest/from-config.js';
import { buildScheduledDigest } from '../shared/digest/scheduled.js';

const services = digestServicesFromConfig(loadProcessConfig(), 'scheduledDigest');
const handler = buildScheduledDigest(services);

functions.cloudEvent('scheduledDigest', async () => {
  await handler();
});
