/**
 * Global setup of the integration project: starts the Firestore and Pub/Sub
 * emulators on free loopback ports and points the client libraries at them.
 * A missing emulator fails the run loudly; nothing is skipped.
 */
import { startEmulator, type RunningEmulator } from '../../local/emulators.js';

export default async function setup(): Promise<() => Promise<void>> {
  const started: RunningEmulator[] = [];
  try {
    const [firestore, pubsub] = await Promise.all([
      startEmulator('firestore'),
      startEmulator('pubsub'),
    ]);
    started.push(firestore, pubsub);
    // Test workers are forked after this runs and inherit these.
    process.env['FIRESTORE_EMULATOR_HOST'] = firestore.host;
    process.env['PUBSUB_EMULATOR_HOST'] = pubsub.host;
  } catch (err) {
    await Promise.all(started.map((e) => e.stop()));
    throw err;
  }
  return async () => {
    await Promise.all(started.map((e) => e.stop()));
  };
}
