/**
 * The Terraform configuration as a user meets it: pinned providers, described
 * and validated variables, described outputs that give what the Chat API
 * configuration page and the OAuth client need, and the deployable package
 * coming from the build.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import {
  declared,
  loadTerraform,
  local,
  resource,
  type TerraformConfig,
  text,
} from '../support/terraform-config.js';

let tf: TerraformConfig;
beforeAll(async () => {
  tf = await loadTerraform();
});

describe('the Terraform configuration', () => {
  it('pins its providers and uses the google provider only (no beta)', () => {
    const versions = tf.sources.get('versions.tf') ?? '';
    expect(versions).toMatch(
      /source\s*=\s*"hashicorp\/google"\s*\n\s*version\s*=\s*">= \d+\.\d+, < \d+\.\d+"/,
    );
    expect(versions).toMatch(/required_version\s*=\s*">= 1\.\d+"/);
    for (const [file, text] of tf.sources) expect(text, file).not.toMatch(/google-beta/);
  });

  it('describes every variable and validates every string or number one', () => {
    for (const v of declared(tf, 'variable')) {
      expect(text(v.body['description']), v.name).not.toBe('');
      const type = text(v.body['type']);
      const free = ['digest_time_zone', 'source_dir'];
      if (/string|number|list|object/.test(type) && !free.includes(v.name)) {
        expect(v.body['validation'], `validation of ${v.name}`).toBeDefined();
      }
    }
  });

  it('requires only the project and the OAuth client id', () => {
    const required = declared(tf, 'variable')
      .filter((v) => !('default' in v.body))
      .map((v) => v.name);
    expect(required.sort()).toEqual(['oauth_client_id', 'project_id']);
  });

  it('outputs what the Chat API configuration page and the OAuth client ask for', () => {
    const outputs = declared(tf, 'output');
    for (const o of outputs) expect(text(o.body['description']), o.name).not.toBe('');
    const names = outputs.map((o) => o.name);
    expect(names).toEqual(
      expect.arrayContaining([
        'chat_app_connection',
        'chat_http_endpoint_url',
        'chat_interactions_topic',
        'oauth_redirect_uri',
        'slash_commands',
        'secrets_to_fill',
      ]),
    );
    const redirect = outputs.find((o) => o.name === 'oauth_redirect_uri')!;
    expect(redirect.body['value']).toBe('${local.oauth_callback_url}');
    expect(text(local(tf, 'oauth_callback_url'))).toContain('local.function_names.oauth_callback');
  });

  it('deploys the package scripts/package.sh writes, named by its content', () => {
    expect(text(local(tf, 'source_dir'))).toContain('/../dist/package');
    const object = resource(tf, 'google_storage_bucket_object', 'source');
    expect(text(object.body['name'])).toContain('${data.archive_file.source.output_md5}');
  });
});
