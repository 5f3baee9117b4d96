/**
 * Least privilege in the Terraform configuration: no primitive or
 * authoritative project grants, no project-wide secret access, secrets that
 * are empty and readable by exactly the functions that read them, publish
 * rights exactly where functions publish, and Chat's right to publish
 * interactions and Workspace Events.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { SETTINGS } from '../../shared/config.js';
import {
  DEPLOY_MANIFEST,
  type SecretSettingKey,
  type TopicRole,
} from '../../shared/deploy-manifest.js';
import {
  expression,
  loadTerraform,
  local,
  refs,
  resource,
  resources,
  snake,
  type Block,
  type TerraformConfig,
  text,
} from '../support/terraform-config.js';

let tf: TerraformConfig;
beforeAll(async () => {
  tf = await loadTerraform();
});

const RUNTIME = DEPLOY_MANIFEST.map((f) => snake(f.entryPoint));
const iamBlocks = () => tf.blocks.filter((b) => b.kind === 'resource' && /_iam_/.test(b.type));
const runtimeMembers = (b: Block) =>
  refs(b.body, 'google_service_account').filter((sa) => RUNTIME.includes(sa));

/** The secret resource a secret setting names (webhooks: the per-space set). */
const SECRET_RESOURCE: Record<SecretSettingKey, string> = {
  serviceAccountKeySecret: 'service_account_key',
  tokenEncryptionKeySecret: 'token_encryption_key',
  oauthClientSecretSecret: 'oauth_client_secret',
  webhookSecretPrefix: 'webhook',
};

describe('IAM grants', () => {
  it('never use a primitive role', () => {
    for (const [file, text] of tf.sources) {
      expect(text, file).not.toMatch(/roles\/(owner|editor|viewer)\b/);
    }
    for (const b of iamBlocks()) {
      expect(text(b.body['role']), `${b.type}.${b.name}`).not.toMatch(
        /^roles\/(owner|editor|viewer)$/,
      );
    }
  });

  it('are additive members, never authoritative policies or bindings', () => {
    const authoritative = iamBlocks().filter((b) => /_iam_(policy|binding)$/.test(b.type));
    expect(authoritative.map((b) => `${b.type}.${b.name}`)).toEqual([]);
  });

  it('grant no Secret Manager role above a single secret', () => {
    const wide = iamBlocks().filter(
      (b) =>
        /^google_(project|folder|organization)_iam_/.test(b.type) &&
        text(b.body['role']).startsWith('roles/secretmanager.'),
    );
    expect(wide.map((b) => `${b.type}.${b.name}`)).toEqual([]);
  });

  it('give runtime identities one project role: Firestore, limited to the Spacelog database', () => {
    const projectGrants = resources(tf, 'google_project_iam_member').filter(
      (b) => runtimeMembers(b).length > 0,
    );
    expect(projectGrants.map((b) => b.body['role'])).toEqual(['roles/datastore.user']);
    const grant = projectGrants[0]!;
    expect(runtimeMembers(grant)).toEqual([...RUNTIME].sort());
    const condition = (grant.body['condition'] as Record<string, unknown>[])[0]!;
    expect(condition['expression']).toMatch(
      /resource\.name == "projects\/.*\/databases\/\$\{google_firestore_database\.main\.name\}"/,
    );
  });
});

describe('secrets', () => {
  it('are created empty: Terraform writes and reads no secret version', () => {
    const versions = tf.blocks.filter((b) =>
      b.type.startsWith('google_secret_manager_secret_version'),
    );
    expect(versions.map((b) => `${b.kind}.${b.type}.${b.name}`)).toEqual([]);
  });

  it('exist for every secret the code reads', () => {
    const readers = new Set(DEPLOY_MANIFEST.flatMap((f) => f.secrets));
    for (const key of readers) resource(tf, 'google_secret_manager_secret', SECRET_RESOURCE[key]);

    const webhook = resource(tf, 'google_secret_manager_secret', 'webhook');
    expect(expression(webhook.body['for_each'])).toBe('toset(var.webhook_space_ids)');
    expect(webhook.body['secret_id']).toBe('${var.webhook_secret_prefix}${each.key}');
  });

  it('are readable by exactly the functions that read them, one binding per reader', () => {
    for (const secret of resources(tf, 'google_secret_manager_secret')) {
      const key = (Object.keys(SECRET_RESOURCE) as SecretSettingKey[]).find(
        (k) => SECRET_RESOURCE[k] === secret.name,
      );
      expect(key, `google_secret_manager_secret.${secret.name} is read by the code`).toBeDefined();
      const expected = DEPLOY_MANIFEST.filter((f) => f.secrets.includes(key!))
        .map((f) => snake(f.entryPoint))
        .sort();

      const bindings = iamBlocks().filter((b) =>
        refs(b.body, 'google_secret_manager_secret').includes(secret.name),
      );
      for (const b of bindings) {
        expect(b.type, b.name).toBe('google_secret_manager_secret_iam_member');
        expect(b.body['role'], b.name).toBe('roles/secretmanager.secretAccessor');
        expect(refs(b.body, 'google_service_account'), b.name).toHaveLength(1);
        expect(refs(b.body, 'google_secret_manager_secret'), b.name).toEqual([secret.name]);
      }
      const members = bindings.flatMap((b) => refs(b.body, 'google_service_account')).sort();
      expect(members, `readers of ${secret.name}`).toEqual(expected);
    }
  });

  it('default to the names the code uses locally', () => {
    const defaults: Record<string, string | undefined> = {
      service_account_key_secret_id: SETTINGS.serviceAccountKeySecret.default,
      token_encryption_key_secret_id: SETTINGS.tokenEncryptionKeySecret.default,
      oauth_client_secret_secret_id: SETTINGS.oauthClientSecretSecret.default,
      webhook_secret_prefix: SETTINGS.webhookSecretPrefix.default,
    };
    for (const [name, value] of Object.entries(defaults)) {
      const variable = tf.blocks.find((b) => b.kind === 'variable' && b.name === name);
      expect(variable?.body['default'], name).toBe(value);
    }
  });
});

describe('publishing', () => {
  const publishers = (role: TopicRole) =>
    resources(tf, 'google_pubsub_topic_iam_member').filter(
      (b) =>
        b.body['role'] === 'roles/pubsub.publisher' &&
        refs(b.body['topic'], 'google_pubsub_topic').includes(snake(role)),
    );

  it('is granted on exactly the topics each function publishes to', () => {
    const granted = resources(tf, 'google_pubsub_topic_iam_member').flatMap((b) =>
      runtimeMembers(b).map(
        (sa) =>
          `${sa} ${text(b.body['role'])} ${refs(b.body['topic'], 'google_pubsub_topic').join()}`,
      ),
    );
    const expected = DEPLOY_MANIFEST.flatMap((f) =>
      f.publishesTo.map((t) => `${snake(f.entryPoint)} roles/pubsub.publisher ${snake(t)}`),
    );
    expect(granted.sort()).toEqual(expected.sort());
    const subscriberGrants = iamBlocks().filter(
      (b) => b.type.startsWith('google_pubsub_') && !b.type.startsWith('google_pubsub_topic'),
    );
    for (const b of subscriberGrants) expect(runtimeMembers(b), b.name).toEqual([]);
  });

  it('lets Chat publish interaction events (classic push identity or the add-on agent)', () => {
    const grants = publishers('interactions');
    expect(grants).toHaveLength(1);
    expect(grants[0]!.body['member']).toBe('serviceAccount:${local.chat_publisher}');
    const publisher = text(local(tf, 'chat_publisher'));
    expect(publisher).toContain('chat-api-push@system.gserviceaccount.com');
    expect(publisher).toContain('local.addon_service_agent');
  });

  it('lets Chat publish Workspace Events', () => {
    const grants = publishers('workspaceEvents');
    expect(grants).toHaveLength(1);
    expect(text(grants[0]!.body['for_each'])).toContain('chat-api-push@system.gserviceaccount.com');
  });
});
