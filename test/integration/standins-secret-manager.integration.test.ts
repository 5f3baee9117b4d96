import { SecretManagerServiceClient } from '@google-cloud/secret-manager';
import { OAuth2Client } from 'google-auth-library';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crc32c } from '../../local/standins/crc32c.js';
import {
  startSecretManager,
  type SecretManagerStandIn,
} from '../../local/standins/secret-manager.js';

const PROJECT = 'standins-secrets';
const PROJECT_NUMBER = '555000111222';

let secrets: SecretManagerStandIn;
let client: SecretManagerServiceClient;

function versionName(secret: string, version: string | number, project = PROJECT): string {
  return `projects/${project}/secrets/${secret}/versions/${version}`;
}

async function read(name: string): Promise<string> {
  const [version] = await client.accessSecretVersion({ name });
  const data = version.payload?.data;
  return data === null || data === undefined ? '' : Buffer.from(data).toString('utf8');
}

beforeAll(async () => {
  secrets = await startSecretManager({ projectId: PROJECT, projectNumber: PROJECT_NUMBER });
  const authClient = new OAuth2Client();
  authClient.setCredentials({
    access_token: 'local-dummy-token',
    expiry_date: Date.now() + 3_600_000,
  });
  client = new SecretManagerServiceClient({
    fallback: 'rest',
    protocol: 'http',
    apiEndpoint: '127.0.0.1',
    port: Number(new URL(secrets.url).port),
    authClient,
  });
});

afterAll(async () => {
  await client.close();
  await secrets.close();
});

describe('Secret Manager stand-in with @google-cloud/secret-manager over REST', () => {
  it('reads latest and a pinned version, with the payload checksum', async () => {
    secrets.addVersion('refresh-key', 'first');
    const second = secrets.addVersion('refresh-key', 'second');

    expect(await read(versionName('refresh-key', 'latest'))).toBe('second');
    expect(await read(versionName('refresh-key', 1))).toBe('first');

    const [version] = await client.accessSecretVersion({
      name: versionName('refresh-key', second, PROJECT_NUMBER),
    });
    expect(version.name).toBe(versionName('refresh-key', 2, PROJECT_NUMBER));
    expect(String(version.payload?.dataCrc32c)).toBe(String(crc32c(Buffer.from('second'))));
  });

  it('skips disabled versions for latest and refuses them when pinned', async () => {
    secrets.addVersion('signing', 'v1');
    const v2 = secrets.addVersion('signing', 'v2');
    secrets.disable('signing', v2);

    expect(await read(versionName('signing', 'latest'))).toBe('v1');
    await expect(read(versionName('signing', v2))).rejects.toMatchObject({
      code: 9, // FAILED_PRECONDITION
      message: expect.stringMatching(/DISABLED/) as unknown,
    });
  });

  it('refuses destroyed versions, and reports missing ones as NOT_FOUND', async () => {
    const v1 = secrets.addVersion('gone', 'x');
    secrets.destroy('gone', v1);
    await expect(read(versionName('gone', v1))).rejects.toMatchObject({
      code: 9,
      message: expect.stringMatching(/DESTROYED/) as unknown,
    });
    await expect(read(versionName('gone', 'latest'))).rejects.toMatchObject({ code: 5 });
    await expect(read(versionName('never-made', 'latest'))).rejects.toMatchObject({ code: 5 });
    await expect(read(versionName('gone', 1, 'other-project'))).rejects.toMatchObject({ code: 5 });
  });

  it('counts accesses and answers 503 while unavailable', async () => {
    const before = secrets.accessCount('refresh-key');
    await read(versionName('refresh-key', 'latest'));
    expect(secrets.accessCount('refresh-key') - before).toBe(1);

    secrets.setUnavailable(true);
    const res = await fetch(`${secrets.url}/v1/${versionName('refresh-key', 'latest')}:access`, {
      headers: { authorization: 'Bearer x' },
    });
    secrets.setUnavailable(false);
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ error: { code: 503, status: 'UNAVAILABLE' } });
  });
});
