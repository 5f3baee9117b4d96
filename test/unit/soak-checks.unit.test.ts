import { describe, expect, it } from 'vitest';
import { checkRetries, percentile } from '../../local/soak/checks.js';
import { scanForLeaks, type LeakNeedles } from '../../local/soak/leaks.js';
import type { CallRecord } from '../../local/standins/chat-api.js';

const SIGNATURE = 'Zk3r9Qw2Lp0xVb7Nc1Md5Ty8Ua4Ie6Oo2Pp3Aa9Ss0Dd';
const TOKEN = `eyJhbGciOiJSUzI1NiJ9.eyJhdWQiOiJ4In0.${SIGNATURE}`;
const KEY_BODY = 'MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7kq2mZt0vXy';
const PEM = `-----BEGIN PRIVATE KEY-----\n${KEY_BODY}\n-----END PRIVATE KEY-----\n`;
const SECRET = 'c2VjcmV0LWVuY3J5cHRpb24ta2V5LWZvci10ZXN0cy1vbmx5';
const WORD = 'bazokifumeta';

const needles: LeakNeedles = {
  tokens: [TOKEN],
  privateKeys: [PEM],
  secrets: [SECRET],
  words: new Set([WORD]),
};

const line = (fields: Record<string, unknown>) =>
  JSON.stringify({ severity: 'INFO', message: 'Interaction answered.', ...fields });

describe('the soak leak scan', () => {
  it('passes lines that hold ids, counts and redacted fields', () => {
    const lines = [
      line({ interactionId: 'ix-0123456789abcdef0123456789abcdef', textLength: 42 }),
      line({ authorization: '[redacted]', space: 'spaces/SOAK0001' }),
    ];
    const report = scanForLeaks(lines, needles);
    expect(report).toMatchObject({
      linesScanned: 2,
      byKind: { token: 0, 'private-key': 0, secret: 0, 'message-text': 0 },
    });
  });

  it('finds a fragment of a token signature, a key and a secret wherever it sits', () => {
    const lines = [
      line({ error: `bad token ...${SIGNATURE.slice(5, 40)}...` }),
      line({ detail: KEY_BODY.slice(10, 50) }),
      `plain text line ${SECRET.slice(3, 40)} end`,
    ];
    const report = scanForLeaks(lines, needles);
    expect(report.byKind).toMatchObject({ token: 1, 'private-key': 1, secret: 1 });
    // The report shows where, never the material itself.
    expect(report.samples.join('\n')).not.toContain(SIGNATURE.slice(5, 40));
  });

  it('finds tokens it was never told of by their shape', () => {
    const lines = [
      line({ note: 'ya29.a0AfH6SMBx3kL9mNq2rT5vW8yZ1cE4gJ7' }),
      line({ note: 'refresh 1//0gQw3eRt5yU7iO9pA2sD4fG6hJ8kL' }),
      line({ note: '-----BEGIN RSA PRIVATE KEY-----' }),
    ];
    expect(scanForLeaks(lines, needles).byKind.token).toBe(3);
  });

  it('finds a made-up word of message text however it was quoted or escaped', () => {
    const lines = [
      line({ title: `\\"${WORD}\\"` }),
      `{"message":"x","query":"q=%22${WORD}%22&n=1"}`,
    ];
    expect(scanForLeaks(lines, needles).byKind['message-text']).toBe(2);
  });
});

describe('the soak retry accounting', () => {
  const call = (status: number, requestId?: string, method = 'messages.create'): CallRecord => ({
    method,
    path: '/v1/spaces/A/messages',
    status,
    principal: 'app',
    scopes: [],
    ...(requestId !== undefined && { requestId }),
  });

  it('accounts a failed call only when the same request later succeeded', () => {
    const report = checkRetries([
      call(429, 'r1'),
      call(200, 'r1'),
      call(200, 'r2'),
      call(503, 'r2'),
      call(500, 'r3'),
      call(400, 'r4'),
    ]);
    expect(report).toMatchObject({
      failedCalls: 3,
      accounted: 1,
      unaccounted: 2,
      byStatus: { '429': 1, '503': 1, '500': 1 },
    });
  });

  it('counts a membership that exists already as the retry that succeeded', () => {
    const report = checkRetries([
      call(503, undefined, 'members.create'),
      call(409, undefined, 'members.create'),
    ]);
    expect(report).toMatchObject({ failedCalls: 1, accounted: 1 });
  });
});

describe('percentile', () => {
  it('takes the nearest rank, and 0 of nothing', () => {
    const values = [5, 1, 4, 2, 3, 10, 9, 8, 7, 6];
    expect(percentile(values, 50)).toBe(5);
    expect(percentile(values, 95)).toBe(10);
    expect(percentile([], 99)).toBe(0);
  });
});
