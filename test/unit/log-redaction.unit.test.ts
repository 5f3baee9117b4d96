import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { SpacelogError, publicTextOf, toSpacelogError } from '../../shared/errors.js';
import { createLogger, traceFields } from '../../shared/log.js';

const privateKeyPem = generateKeyPairSync('rsa', { modulusLength: 1024 })
  .privateKey.export({ type: 'pkcs8', format: 'pem' })
  .toString();

// Every secret-shaped value a careless call site could hand the logger.
const SECRETS = {
  idToken:
    'eyJhbGciOiJSUzI1NiIsImtpZCI6ImFiYyJ9.eyJpc3MiOiJodHRwczovL2FjY291bnRzLmdvb2dsZS5jb20ifQ.c2lnbmF0dXJl',
  accessToken: 'ya29.a0AfB_byC-secret-access-token',
  refreshToken: '1//0gSecretRefreshTokenValue-xyz',
  clientSecret: 'GOCSPX-secretclientsecret',
  webhookUrl:
    'https://chat.googleapis.com/v1/spaces/AAA/messages?key=webhookkey123&token=webhooktoken456',
  messageText: 'the quarterly numbers are confidential',
  secretPayload: 'hunter2-secret-payload',
};

function capture(): { lines: string[]; write: (line: string) => void } {
  const lines: string[] = [];
  return { lines, write: (line) => lines.push(line) };
}

function assertClean(lines: readonly string[]): void {
  const all = lines.join('\n');
  for (const [name, value] of Object.entries(SECRETS)) {
    expect(all, `${name} leaked`).not.toContain(value);
  }
  expect(all).not.toContain('PRIVATE KEY-----\nMII');
  expect(all).not.toContain(privateKeyPem.split('\n')[1]);
}

describe('logger redaction', () => {
  it('drops credentials and content passed as fields, at debug level', () => {
    const sink = capture();
    const log = createLogger({ level: 'DEBUG', write: sink.write });
    log.debug('incoming', {
      headers: { authorization: `Bearer ${SECRETS.idToken}`, 'content-type': 'application/json' },
      accessToken: SECRETS.accessToken,
      refresh_token: SECRETS.refreshToken,
      key: { private_key: privateKeyPem },
      message: { text: SECRETS.messageText, argumentText: SECRETS.messageText },
      payload: { data: SECRETS.secretPayload },
      webhookUrl: SECRETS.webhookUrl,
      clientSecret: SECRETS.clientSecret,
    });
    expect(sink.lines).toHaveLength(1);
    assertClean(sink.lines);
    expect(JSON.parse(sink.lines[0] ?? '{}')).toMatchObject({
      severity: 'DEBUG',
      message: 'incoming',
    });
  });

  it('scrubs credentials hidden inside free text and error messages', () => {
    const sink = capture();
    const log = createLogger({ level: 'DEBUG', write: sink.write });
    const err = new Error(
      `request to ${SECRETS.webhookUrl} failed with Bearer ${SECRETS.accessToken}`,
    );
    log.error(`token ${SECRETS.idToken} refused; refresh ${SECRETS.refreshToken}`, { err });
    log.warn('key material', { note: privateKeyPem });
    log.info('client', { detail: `secret is ${SECRETS.clientSecret}` });
    assertClean(sink.lines);
  });

  it('keeps identifiers and counts that operators need', () => {
    const sink = capture();
    const log = createLogger({ write: sink.write, base: { function: 'chatEvents' } });
    log.info('interaction recorded', { space: 'spaces/AAA', eventId: 'abc', attempts: 2 });
    expect(JSON.parse(sink.lines[0] ?? '{}')).toMatchObject({
      severity: 'INFO',
      function: 'chatEvents',
      space: 'spaces/AAA',
      eventId: 'abc',
      attempts: 2,
    });
  });

  it('drops lines below the configured level', () => {
    const sink = capture();
    createLogger({ level: 'WARNING', write: sink.write }).info('not shown');
    expect(sink.lines).toHaveLength(0);
  });

  it('takes the trace from traceparent or X-Cloud-Trace-Context', () => {
    const id = '0af7651916cd43dd8448eb211c80319c';
    expect(traceFields('p', { traceparent: `00-${id}-b7ad6b7169203331-01` })).toEqual({
      'logging.googleapis.com/trace': `projects/p/traces/${id}`,
    });
    expect(traceFields('p', { 'x-cloud-trace-context': `${id}/1;o=1` })).toEqual({
      'logging.googleapis.com/trace': `projects/p/traces/${id}`,
    });
    expect(traceFields('p', {})).toEqual({});
  });
});

describe('errors seen by callers', () => {
  it('carry only the generic public text, never the internal message', () => {
    const err = toSpacelogError(new Error(`boom ${SECRETS.accessToken}`));
    expect(err.code).toBe('internal');
    expect(publicTextOf(err.code)).not.toContain(SECRETS.accessToken);
    expect(err.message).not.toContain(SECRETS.accessToken);
  });

  it('log a coded error with its code and redacted cause', () => {
    const sink = capture();
    const err = new SpacelogError(
      'unavailable',
      'Secret Manager unreachable.',
      { secret: 'sa-key' },
      {
        cause: new Error(`fetch failed for ${SECRETS.webhookUrl}`),
      },
    );
    createLogger({ level: 'DEBUG', write: sink.write }).error('failed', { err });
    assertClean(sink.lines);
    expect(sink.lines[0]).toContain('"code":"unavailable"');
  });
});
