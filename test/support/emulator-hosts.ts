/**
 * The emulators the integration tests' global setup started, as the
 * Firestore and Pub/Sub clients find them: `FIRESTORE_EMULATOR_HOST` and
 * `PUBSUB_EMULATOR_HOST` (`host:port`).
 */
export function emulatorHosts(): { firestore: string; pubsub: string } {
  const firestore = process.env['FIRESTORE_EMULATOR_HOST'];
  const pubsub = process.env['PUBSUB_EMULATOR_HOST'];
  if (!firestore || !pubsub) {
    throw new Error('The emulators are not running: the global setup did not start them.');
  }
  return { firestore, pubsub };
}
