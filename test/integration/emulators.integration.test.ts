import { PubSub } from '@google-cloud/pubsub';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../shared/config.js';
import { createFirestore } from '../../shared/firestore.js';

describe('emulators', () => {
  it('firestore emulator stores and reads back a document over preferRest', async () => {
    const db = createFirestore(
      loadConfig({ ...process.env, GOOGLE_CLOUD_PROJECT: 'emulators-test' }),
    );
    const ref = db.collection('probe').doc('one');
    await ref.set({ n: 1 });
    expect((await ref.get()).data()).toEqual({ n: 1 });
    await db.terminate();
  });

  it('pubsub emulator delivers a published message to a pull subscription', async () => {
    const pubsub = new PubSub({ projectId: 'emulators-test' });
    const [topic] = await pubsub.createTopic(`probe-${Date.now()}`);
    const [sub] = await topic.createSubscription(`probe-sub-${Date.now()}`);
    await topic.publishMessage({ data: Buffer.from('hello') });
    const received = await new Promise<string>((resolve) => {
      sub.on('message', (m: { data: Buffer; ack(): void }) => {
        m.ack();
        resolve(m.data.toString());
      });
    });
    expect(received).toBe('hello');
    await sub.close();
    await pubsub.close();
  });
});
