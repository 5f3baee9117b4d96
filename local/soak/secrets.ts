/**
 * The values of the app's secrets, read back from the Secret Manager
 * stand-in the way the functions read them, for the leak scan.
 */
import type { Config } from '../../shared/config.js';
import { DEMO_PROJECT } from '../stack/demo.js';

/** Every version's value of the app's three secrets that exists now. */
export async function readSecrets(
  secretManagerUrl: string,
  config: Pick<
    Config,
    'serviceAccountKeySecret' | 'tokenEncryptionKeySecret' | 'oauthClientSecretSecret'
  >,
): Promise<string[]> {
  const names = [
    config.serviceAccountKeySecret,
    config.tokenEncryptionKeySecret,
    config.oauthClientSecretSecret,
  ];
  const values: string[] = [];
  for (const name of names) {
    const url = `${secretManagerUrl}/v1/projects/${DEMO_PROJECT.id}/secrets/${name}/versions/latest:access`;
    // The stand-in wants a bearer token, any will do.
    const res = await fetch(url, { headers: { authorization: 'Bearer soak' } });
    if (!res.ok) throw new Error(`Secret ${name} could not be read back: ${res.status}.`);
    const body = (await res.json()) as { payload?: { data?: string } };
    values.push(Buffer.from(body.payload?.data ?? '', 'base64').toString('utf8'));
  }
  return values;
}
