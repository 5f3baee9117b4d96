import { describe, expect, it } from 'vitest';
import { runSoak } from '../../local/soak/run.js';

describe('the soak, small', () => {
  it('loses, doubles and leaks nothing while Chat fails, Firestore restarts and the key rotates', async () => {
    const report = await runSoak(
      {
        interactions: 200,
        spaces: 12,
        seed: 20260301,
        concurrency: 12,
        settleSeconds: 240,
        verbose: false,
      },
      () => undefined,
    );

    expect(report.failures).toEqual([]);
    expect(report.line).toMatchObject({ lost: 0, doubled: 0, leaked: 0 });
    expect(report.line.malformedKept).toBe(report.line.malformedSent);
    expect(report.line.forgedRefused).toBe(report.line.forgedSent);
    // The faults really happened and the checks had something to look at.
    expect(report.line['firestoreOutageMs']).toBeGreaterThan(0);
    expect(report.line['keyRefusals']).toBeGreaterThan(0);
    const retries = report.line['retries'] as { failedChatCalls: number; accounted: number };
    expect(retries.failedChatCalls).toBeGreaterThan(0);
    expect(retries.accounted).toBe(retries.failedChatCalls);
    expect(report.line['interactionsInLog']).toBeGreaterThan(120);
    expect(report.leaks.linesScanned).toBeGreaterThan(100);
  }, 420_000);
});
