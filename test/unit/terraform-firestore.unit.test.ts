/**
 * Firestore in the Terraform configuration: a native-mode database that
 * destroy leaves alone, with exactly the composite indexes and single-field
 * settings of `shared/eventlog/indexes.ts` and the TTL policies of
 * `shared/deploy-manifest.ts`.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { TTL_POLICIES } from '../../shared/deploy-manifest.js';
import { COMPOSITE_INDEXES, FIELD_OVERRIDES, TTL_FIELDS } from '../../shared/eventlog/indexes.js';
import { LEASES_COLLECTION } from '../../shared/user-auth/lease.js';
import { STATES_COLLECTION } from '../../shared/user-auth/state-store.js';
import {
  expression,
  instances,
  loadTerraform,
  local,
  resource,
  resources,
  text,
  type TerraformConfig,
} from '../support/terraform-config.js';

type Json = Record<string, unknown>;

let tf: TerraformConfig;
beforeAll(async () => {
  tf = await loadTerraform();
});

/** A composite index as `group scope field:order,...`. */
const indexKey = (
  group: string,
  scope: string,
  fields: readonly { path: string; order: string }[],
) => `${group} ${scope} ${fields.map((f) => `${f.path}:${f.order}`).join(',')}`;

/** A single-field setting as `group field ttl? indexes`. */
const fieldKey = (
  group: string,
  field: string,
  ttl: boolean,
  indexes: readonly { order: string; scope: string }[],
) =>
  `${group} ${field}${ttl ? ' ttl' : ''} [${indexes
    .map((i) => `${i.order}/${i.scope}`)
    .sort()
    .join(',')}]`;

function terraformIndexes(): string[] {
  return resources(tf, 'google_firestore_index')
    .flatMap((b) => instances(tf, b))
    .map(({ body }) =>
      indexKey(
        text(body['collection']),
        text(body['query_scope'] ?? 'COLLECTION'),
        (body['fields'] as Json[]).map((f) => ({
          path: text(f['field_path']),
          order: text(f['order']),
        })),
      ),
    )
    .sort();
}

function terraformFields(): string[] {
  return resources(tf, 'google_firestore_field')
    .flatMap((b) => instances(tf, b))
    .map(({ body }) => {
      const config = body['index_config'] as Json[] | undefined;
      // Without index_config a field keeps Firestore's automatic indexes: never what we declare.
      const indexes =
        config === undefined
          ? [{ order: 'inherited', scope: 'automatic' }]
          : ((config[0]?.['indexes'] as Json[] | undefined) ?? []).map((i) => ({
              order: text(i['order']),
              scope: text(i['query_scope']),
            }));
      return fieldKey(text(body['collection']), text(body['field']), 'ttl_config' in body, indexes);
    })
    .sort();
}

describe('Firestore', () => {
  it('is a native-mode database with delete protection, abandoned (not deleted) on destroy', () => {
    const db = resource(tf, 'google_firestore_database', 'main');
    expect(db.body['type']).toBe('FIRESTORE_NATIVE');
    expect(db.body['delete_protection_state']).toBe('DELETE_PROTECTION_ENABLED');
    expect(db.body['deletion_policy']).toBe('ABANDON');
    expect(expression((local(tf, 'env_common') as Json)['FIRESTORE_DATABASE'])).toBe(
      'google_firestore_database.main.name',
    );
  });

  it('has exactly the composite indexes the code declares', () => {
    const declared = COMPOSITE_INDEXES.map((i) =>
      indexKey(
        i.collectionGroup,
        i.queryScope,
        i.fields.map((f) => ({ path: f.fieldPath, order: f.order })),
      ),
    );
    expect(terraformIndexes()).toEqual(declared.sort());
  });

  it('has exactly the single-field indexes, exemptions and TTL policies the code declares', () => {
    const declared = [
      ...[...FIELD_OVERRIDES, ...TTL_FIELDS].map((f) =>
        fieldKey(
          f.collectionGroup,
          f.fieldPath,
          f.ttl === true,
          f.indexes.map((i) => ({ order: i.order, scope: i.queryScope })),
        ),
      ),
      ...TTL_POLICIES.map((p) => fieldKey(p.collectionGroup, p.fieldPath, true, [])),
    ];
    expect(terraformFields()).toEqual(declared.sort());
  });

  it('expires refused inputs, sign-in states and token leases, in the collections the code writes', () => {
    const groups = TTL_POLICIES.map((p) => `${p.collectionGroup}.${p.fieldPath}`);
    expect(groups).toEqual(
      expect.arrayContaining([
        'rejected.expireAt',
        `${STATES_COLLECTION}.expireAt`,
        `${LEASES_COLLECTION}.expireAt`,
      ]),
    );
  });

  it('keeps every index and field setting in the Spacelog database', () => {
    for (const b of [
      ...resources(tf, 'google_firestore_index'),
      ...resources(tf, 'google_firestore_field'),
    ]) {
      expect(b.body['database'], b.name).toBe('${google_firestore_database.main.name}');
    }
  });
});
