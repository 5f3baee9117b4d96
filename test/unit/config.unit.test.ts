import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  SETTINGS,
  configTable,
  loadConfig,
  required,
  selectedFunction,
} from '../../shared/config.js';
import { SpacelogError } from '../../shared/errors.js';

describe('loadConfig', () => {
  it('gives every setting its default from an empty environment', () => {
    const config = loadConfig({});
    expect(config.chatApiUrl).toBe('https://chat.googleapis.com');
    expect(config.maxBodyBytes).toBe(262144);
    expect(config.chatVerification).toBe('on');
    expect(config.chatAudience).toBeUndefined();
  });

  it('defaults every Google endpoint to Google', () => {
    const config = loadConfig({});
    for (const key of [
      'chatApiUrl',
      'oauthAuthUrl',
      'oauthTokenUrl',
      'oauthRevokeUrl',
      'chatCertsUrl',
      'googleCertsUrl',
      'secretManagerUrl',
      'pubsubUrl',
      'workspaceEventsUrl',
    ] as const) {
      expect(new URL(config[key]).hostname, key).toMatch(/(googleapis|google)\.com$/);
    }
  });

  it.each([
    ['MAX_BODY_BYTES', 'lots', 'an integer from 1024 to 10485760'],
    ['CHAT_AUDIENCE_KIND', 'jwt', 'one of project-number, endpoint-url, add-on'],
    ['CHAT_API_URL', 'ftp://x', 'an http(s) URL'],
    ['STORE_MESSAGE_TEXT', 'yes', 'true or false'],
  ])('rejects %s=%s naming the setting and what it accepts', (env, value, accepts) => {
    expect(() => loadConfig({ [env]: value })).toThrow(
      `Setting ${env} is invalid: it accepts ${accepts}.`,
    );
  });

  it('refuses turning verification off on Google Cloud', () => {
    expect(() =>
      loadConfig({ K_SERVICE: 'chat-events', CHAT_VERIFICATION: 'off-local-only' }),
    ).toThrow(/CHAT_VERIFICATION/);
    expect(loadConfig({ CHAT_VERIFICATION: 'off-local-only' }).chatVerification).toBe(
      'off-local-only',
    );
  });

  it('refuses local-only stores and credentials on Google Cloud', () => {
    expect(() => loadConfig({ K_SERVICE: 's', EVENT_STORE: 'memory' })).toThrow(/local only/);
    expect(() => loadConfig({ K_SERVICE: 's', RUNTIME_CREDENTIALS: 'none-local-only' })).toThrow(
      /RUNTIME_CREDENTIALS/,
    );
  });

  it('refuses to run on Google Cloud unless NODE_ENV is production', () => {
    expect(() => loadConfig({ K_SERVICE: 's' })).toThrow(/NODE_ENV must be production/);
    expect(() => loadConfig({ K_SERVICE: 's', NODE_ENV: 'development' })).toThrow(/NODE_ENV/);
    expect(loadConfig({ K_SERVICE: 's', NODE_ENV: 'production' }).onGoogleCloud).toBe(true);
    expect(loadConfig({ NODE_ENV: 'test' }).nodeEnv).toBe('test');
  });

  it('names a missing required setting', () => {
    const err = (() => {
      try {
        required(loadConfig({}), 'chatAudience', 'to verify Chat tokens');
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(err).toBeInstanceOf(SpacelogError);
    expect((err as SpacelogError).code).toBe('misconfigured');
    expect((err as SpacelogError).message).toContain(
      'CHAT_AUDIENCE is required to verify Chat tokens',
    );
  });

  it('reads the function target on its own', () => {
    expect(selectedFunction({ FUNCTION_TARGET: 'chatEvents' })).toBe('chatEvents');
    expect(selectedFunction({})).toBeUndefined();
  });
});

describe('README configuration table', () => {
  it('has a row for every setting', () => {
    const readme = readFileSync(join(import.meta.dirname, '../../README.md'), 'utf8');
    const missing = Object.values(SETTINGS)
      .map((s) => s.env)
      .filter((env) => !readme.includes(`| \`${env}\` |`));
    expect(missing).toEqual([]);
  });

  it('is the table the settings generate (run npm run config:table)', () => {
    const readme = readFileSync(join(import.meta.dirname, '../../README.md'), 'utf8');
    expect(readme).toContain(configTable());
  });
});
