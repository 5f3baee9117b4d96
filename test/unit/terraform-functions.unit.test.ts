/**
 * The deployed functions match the code: each manifest entry is one Cloud Run
 * function on nodejs22 with its own runtime identity, registered in
 * `functions/` under that name and signature, with an environment made only
 * of known settings that includes every setting it requires, and with the
 * invokers and ingress its manifest entry allows.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { SETTINGS } from '../../shared/config.js';
import {
  DEPLOY_MANIFEST,
  TOPIC_SETTINGS,
  type FunctionDeployment,
} from '../../shared/deploy-manifest.js';
import {
  expression,
  loadTerraform,
  local,
  nested,
  refs,
  resolveMap,
  resource,
  resources,
  snake,
  type Block,
  type TerraformConfig,
  text,
} from '../support/terraform-config.js';

const FUNCTIONS_DIR = join(import.meta.dirname, '..', '..', 'functions');
const settingsByEnv = new Map(
  Object.entries(SETTINGS).map(([key, s]) => [s.env, { key, setting: s }]),
);
const envOf = (key: keyof typeof SETTINGS) => SETTINGS[key].env;

/** Names the platform sets itself; a deployment must not set them. */
const PLATFORM_SET = ['K_SERVICE', 'FUNCTION_TARGET', 'PORT', 'K_REVISION', 'K_CONFIGURATION'];
/** Settings, and values, that are for local runs only. */
const LOCAL_ONLY = ['FIRESTORE_EMULATOR_HOST', 'CHAT_VERIFICATION', 'RUNTIME_CREDENTIALS'];

let tf: TerraformConfig;
beforeAll(async () => {
  tf = await loadTerraform();
});

function deployed(fn: FunctionDeployment): Block {
  const found = resources(tf, 'google_cloudfunctions2_function').filter(
    (b) => nested(b.body, 'build_config')['entry_point'] === fn.entryPoint,
  );
  expect(found, `functions with entry point ${fn.entryPoint}`).toHaveLength(1);
  return found[0]!;
}

function envFor(fn: FunctionDeployment): Record<string, unknown> {
  return resolveMap(tf, nested(deployed(fn).body, 'service_config')['environment_variables']);
}

/** `local.build.runtime`-style references resolved to their literal value. */
function literal(value: unknown): unknown {
  const expr = expression(value);
  const m = expr === undefined ? null : /^local\.(\w+)\.(\w+)$/.exec(expr);
  return m ? (local(tf, m[1]!) as Record<string, unknown>)[m[2]!] : value;
}

/** Every `functions.http('name', ...)` / `functions.cloudEvent('name', ...)` in functions/. */
async function registrations(): Promise<Map<string, 'http' | 'cloudevent'>> {
  const found = new Map<string, 'http' | 'cloudevent'>();
  const files = (await readdir(FUNCTIONS_DIR, { recursive: true })).filter((f) =>
    f.endsWith('.ts'),
  );
  const call = /\b(?:functions\.)?(http|cloudEvent)\s*(?:<[^>]*>)?\(\s*['"`](\w+)['"`]/g;
  for (const file of files) {
    const text = await readFile(join(FUNCTIONS_DIR, file), 'utf8');
    for (const m of text.matchAll(call)) {
      found.set(m[2]!, m[1] === 'http' ? 'http' : 'cloudevent');
    }
  }
  return found;
}

describe('deployed functions', () => {
  it('are exactly the manifest entries, each on nodejs22 with its own runtime service account', () => {
    const all = resources(tf, 'google_cloudfunctions2_function');
    expect(all).toHaveLength(DEPLOY_MANIFEST.length);

    const identities = DEPLOY_MANIFEST.map((fn) => {
      const block = deployed(fn);
      expect(literal(nested(block.body, 'build_config')['runtime'])).toBe('nodejs22');
      const sa = refs(
        nested(block.body, 'service_config')['service_account_email'],
        'google_service_account',
      );
      expect(sa, `${fn.entryPoint} runs as`).toEqual([snake(fn.entryPoint)]);
      return sa[0];
    });
    expect(new Set(identities).size).toBe(DEPLOY_MANIFEST.length);
  });

  it('have entry points registered in functions/ under the same name and signature', async () => {
    const registered = await registrations();
    for (const fn of DEPLOY_MANIFEST) {
      expect(registered.get(fn.entryPoint), `registration of ${fn.entryPoint}`).toBe(fn.signature);
    }
    expect([...registered.keys()].sort()).toEqual(DEPLOY_MANIFEST.map((f) => f.entryPoint).sort());
  });

  it('are the functions the package entry module knows', async () => {
    const index = await readFile(join(FUNCTIONS_DIR, 'index.ts'), 'utf8');
    const block = /ENTRY_MODULES\s*=\s*\{([\s\S]*?)\}/.exec(index)?.[1] ?? '';
    const names = [...block.matchAll(/^\s*(\w+)\s*:/gm)].map((m) => m[1]);
    expect(names.sort()).toEqual(DEPLOY_MANIFEST.map((f) => f.entryPoint).sort());
  });
});

describe('function environments', () => {
  it('set only settings shared/config.ts knows, never platform-set or local-only ones', () => {
    for (const fn of DEPLOY_MANIFEST) {
      for (const name of Object.keys(envFor(fn))) {
        expect(settingsByEnv.has(name), `${fn.entryPoint} sets ${name}`).toBe(true);
        expect(PLATFORM_SET, `${fn.entryPoint} sets ${name}`).not.toContain(name);
        expect(LOCAL_ONLY, `${fn.entryPoint} sets ${name}`).not.toContain(name);
      }
      expect(envFor(fn)['EVENT_STORE'] ?? 'firestore').toBe('firestore');
    }
  });

  it('set every setting each function requires', () => {
    for (const fn of DEPLOY_MANIFEST) {
      const env = envFor(fn);
      for (const key of fn.requiredSettings) {
        expect(env[envOf(key)], `${fn.entryPoint} requires ${envOf(key)}`).toBeDefined();
      }
    }
  });

  it('hold literal values and variable defaults each setting accepts', () => {
    const variables = new Map(
      tf.blocks.filter((b) => b.kind === 'variable').map((b) => [b.name, b.body]),
    );
    for (const fn of DEPLOY_MANIFEST) {
      for (const [name, value] of Object.entries(envFor(fn))) {
        const { setting } = settingsByEnv.get(name)!;
        const expr = expression(value);
        const v = expr === undefined ? null : /^(?:tostring\()?var\.(\w+)\)?$/.exec(expr);
        const raw =
          typeof value === 'string' && !value.includes('${')
            ? value
            : v && variables.get(v[1]!)?.['default'] !== undefined
              ? text(variables.get(v[1]!)!['default'])
              : undefined;
        if (raw === undefined || raw === '') continue;
        expect(setting.parse(raw), `${fn.entryPoint}: ${name}=${raw}`).not.toBeUndefined();
      }
    }
  });

  it('name a secret exactly where the function reads it, by the secret resource itself', () => {
    const secretSettings = [
      'serviceAccountKeySecret',
      'tokenEncryptionKeySecret',
      'oauthClientSecretSecret',
    ] as const;
    for (const fn of DEPLOY_MANIFEST) {
      const env = envFor(fn);
      for (const key of secretSettings) {
        const value = env[envOf(key)];
        if (!fn.secrets.includes(key)) {
          expect(value, `${fn.entryPoint} does not read ${key}`).toBeUndefined();
          continue;
        }
        const secret = snake(key).replace(/_secret$/, '');
        expect(expression(value)).toBe(`google_secret_manager_secret.${secret}.secret_id`);
      }
      const prefix = env[envOf('webhookSecretPrefix')];
      expect(prefix !== undefined, `${fn.entryPoint} webhook prefix`).toBe(
        fn.secrets.includes('webhookSecretPrefix'),
      );
    }
  });

  it('name the topics each function publishes to by the topic resource', () => {
    for (const fn of DEPLOY_MANIFEST) {
      const env = envFor(fn);
      for (const role of fn.publishesTo) {
        const key = TOPIC_SETTINGS[role];
        expect(key, `the setting naming the ${role} topic`).toBeDefined();
        expect(expression(env[envOf(key!)])).toBe(`google_pubsub_topic.${snake(role)}.name`);
      }
    }
  });
});

describe('who may call the functions', () => {
  const invokers = (fn: FunctionDeployment) =>
    resources(tf, 'google_cloud_run_service_iam_member').filter((b) =>
      refs(b.body['service'], 'google_cloudfunctions2_function').includes(snake(fn.entryPoint)),
    );

  it('lets Chat alone call chatEvents-like functions (everyone only for project-number tokens)', () => {
    const chatInvoker = text(local(tf, 'chat_invoker'));
    expect(chatInvoker).toMatch(/local\.chat_caller/);
    expect(chatInvoker).toMatch(/var\.chat_audience_kind == "project-number" \? "allUsers"/);
    expect(text(local(tf, 'chat_caller'))).toContain('chat@system.gserviceaccount.com');
    expect(text(local(tf, 'chat_caller'))).toContain('local.addon_service_agent');

    for (const fn of DEPLOY_MANIFEST.filter((f) => f.invokers === 'chat')) {
      const bindings = invokers(fn);
      expect(bindings).toHaveLength(1);
      expect(bindings[0]!.body['role']).toBe('roles/run.invoker');
      expect(expression(bindings[0]!.body['member'])).toBe('local.chat_invoker');
    }
  });

  it('opens only public functions to allUsers', () => {
    for (const b of tf.blocks.filter((x) => x.kind === 'resource' && /_iam_/.test(x.type))) {
      if (b.body['member'] !== 'allUsers') continue;
      const targets = refs(b.body, 'google_cloudfunctions2_function');
      expect(targets, `${b.type}.${b.name}`).toHaveLength(1);
      const fn = DEPLOY_MANIFEST.find((f) => snake(f.entryPoint) === targets[0]);
      expect(fn?.invokers, `${b.type}.${b.name}`).toBe('public');
    }
    for (const fn of DEPLOY_MANIFEST.filter((f) => f.invokers === 'public')) {
      expect(invokers(fn).map((b) => b.body['member'])).toEqual(['allUsers']);
    }
  });

  it('keeps Pub/Sub-pushed functions internal and callable only by the push identity', () => {
    for (const fn of DEPLOY_MANIFEST.filter((f) => f.invokers === 'pubsub')) {
      expect(nested(deployed(fn).body, 'service_config')['ingress_settings']).toBe(
        'ALLOW_INTERNAL_ONLY',
      );
      const bindings = invokers(fn);
      expect(bindings).toHaveLength(1);
      expect(refs(bindings[0]!.body['member'], 'google_service_account')).toEqual(['pubsub_push']);
    }
    const push = resource(tf, 'google_pubsub_subscription', 'push');
    expect(
      refs(nested(nested(push.body, 'push_config'), 'oidc_token'), 'google_service_account'),
    ).toEqual(['pubsub_push']);
  });
});
