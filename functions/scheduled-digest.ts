/**
 * Entry module of `scheduledDigest`, the event function Cloud Scheduler's
 * tick reaches through the digest-ticks topic. It only wires: configuration
 * is read once, collaborators are built once per instance, and the handler
 * is registered.
 * What libraries print on `console` goes through the logger's redaction
 * (`shared/console-guard.ts`).
 */
import * as functions from '@google-cloud/functions-framework';
import { loadProcessConfig } from '../shared/config.js';
import { captureConsole } from '../shared/console-guard.js';
import { digestServicesFromConfig } from '../shared/digest/from-config.js';
import { buildScheduledDigest } from '../shared/digest/scheduled.js';
import { createLogger } from '../shared/log.js';

const config = loadProcessConfig();
captureConsole(createLogger({ level: config.logLevel, base: { function: 'scheduledDigest' } }));
const services = digestServicesFromConfig(config, 'scheduledDigest');
const handler = buildScheduledDigest(services);

functions.cloudEvent('scheduledDigest', async () => {
  await handler();
});
