/**
 * Reads the Terraform configuration in `terraform/` for tests: every `.tf`
 * file parsed with `@cdktf/hcl2json` and merged, plus small helpers to find
 * blocks and the references inside their expressions. Expressions stay
 * strings (`${...}`); the helpers resolve only the few forms the configuration
 * uses and throw on anything else, so a test cannot pass by not understanding.
 */
import { parse } from '@cdktf/hcl2json';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

/** Where the configuration lives, from the repository root. */
export const TERRAFORM_DIR = join(import.meta.dirname, '..', '..', 'terraform');

/** One resource, data source, variable or output block. */
export interface Block {
  readonly kind: 'resource' | 'data' | 'variable' | 'output';
  /** Resource or data type, such as `google_pubsub_topic`; empty for variables and outputs. */
  readonly type: string;
  readonly name: string;
  readonly body: Readonly<Record<string, unknown>>;
  readonly file: string;
}

/** The whole configuration. */
export interface TerraformConfig {
  readonly blocks: readonly Block[];
  readonly locals: ReadonlyMap<string, unknown>;
  /** Raw text of every file, by file name. */
  readonly sources: ReadonlyMap<string, string>;
}

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Parses and merges every `.tf` file of `dir`. */
export async function loadTerraform(dir = TERRAFORM_DIR): Promise<TerraformConfig> {
  const files = (await readdir(dir)).filter((f) => f.endsWith('.tf')).sort();
  const blocks: Block[] = [];
  const locals = new Map<string, unknown>();
  const sources = new Map<string, string>();

  for (const file of files) {
    const text = await readFile(join(dir, file), 'utf8');
    sources.set(file, text);
    const json: Json = await parse(file, text);

    for (const kind of ['resource', 'data'] as const) {
      const byType = json[kind];
      if (!isObject(byType)) continue;
      for (const [type, byName] of Object.entries(byType)) {
        for (const [name, bodies] of Object.entries(byName as Json)) {
          for (const body of bodies as Json[]) blocks.push({ kind, type, name, body, file });
        }
      }
    }
    for (const kind of ['variable', 'output'] as const) {
      const byName = json[kind];
      if (!isObject(byName)) continue;
      for (const [name, bodies] of Object.entries(byName)) {
        for (const body of bodies as Json[]) blocks.push({ kind, type: '', name, body, file });
      }
    }
    for (const group of (json['locals'] as Json[] | undefined) ?? []) {
      for (const [name, value] of Object.entries(group)) {
        if (locals.has(name)) throw new Error(`local.${name} is defined twice`);
        locals.set(name, value);
      }
    }
  }
  return { blocks, locals, sources };
}

/** Resource blocks of one type. */
export function resources(config: TerraformConfig, type: string): Block[] {
  return config.blocks.filter((b) => b.kind === 'resource' && b.type === type);
}

/** The one resource `type.name`, or a thrown error naming it. */
export function resource(config: TerraformConfig, type: string, name: string): Block {
  const found = resources(config, type).filter((b) => b.name === name);
  if (found.length !== 1) throw new Error(`expected one ${type}.${name}, found ${found.length}`);
  return found[0]!;
}

/** Variable and output blocks. */
export function declared(config: TerraformConfig, kind: 'variable' | 'output'): Block[] {
  return config.blocks.filter((b) => b.kind === kind);
}

/** The value of `local.name`, or a thrown error. */
export function local(config: TerraformConfig, name: string): unknown {
  if (!config.locals.has(name)) throw new Error(`local.${name} is not defined`);
  return config.locals.get(name);
}

/** The first (only) nested block `name` of a body, such as `service_config`. */
export function nested(body: Readonly<Record<string, unknown>>, name: string): Json {
  const list = body[name];
  if (!Array.isArray(list) || list.length !== 1 || !isObject(list[0])) {
    throw new Error(`expected one nested ${name} block`);
  }
  return list[0];
}

/**
 * Names `X` of every reference `prefix.X` anywhere inside `value` (strings,
 * arrays and objects), such as `refs(body, 'google_service_account')`.
 */
export function refs(value: unknown, prefix: string): string[] {
  const text = JSON.stringify(value) ?? '';
  const pattern = new RegExp(`\\b${prefix.replace(/\./g, '\\.')}\\.([A-Za-z0-9_-]+)`, 'g');
  return [...new Set([...text.matchAll(pattern)].map((m) => m[1]!))].sort();
}

/** The inner expression of a string that is exactly one interpolation, `${...}`. */
export function expression(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const m = /^\$\{([\s\S]*)\}$/.exec(value);
  return m?.[1]?.includes('${') ? undefined : m?.[1];
}

/**
 * The key/value map an attribute holds: a literal map, `local.NAME`, or
 * `merge(local.A, local.B, ...)`. Values stay as written.
 */
export function resolveMap(config: TerraformConfig, value: unknown): Record<string, unknown> {
  if (isObject(value)) return value;
  const expr = expression(value);
  if (expr === undefined) throw new Error(`cannot resolve map ${JSON.stringify(value)}`);

  const single = /^local\.(\w+)$/.exec(expr.trim());
  if (single) return resolveMap(config, local(config, single[1]!));

  const merge = /^merge\(([\s\S]*)\)$/.exec(expr.trim());
  if (!merge) throw new Error(`cannot resolve map expression ${expr}`);
  const parts = merge[1]!.split(',').map((p) => p.trim());
  const out: Record<string, unknown> = {};
  for (const part of parts) {
    const m = /^local\.(\w+)$/.exec(part);
    if (!m) throw new Error(`cannot resolve merge argument ${part}`);
    Object.assign(out, resolveMap(config, local(config, m[1]!)));
  }
  return out;
}

/** `snake_case` of a camelCase name, as the configuration names its resources. */
export function snake(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

/** A value as text: strings as they are, anything else as JSON. */
export function text(value: unknown): string {
  return typeof value === 'string' ? value : (JSON.stringify(value) ?? '');
}

/**
 * The instances of a block: itself when it has no `for_each`, or one body per
 * entry of the literal map in `for_each = local.NAME`, with whole-string
 * `${each.key}` and `${each.value.ATTR}` replaced by the entry's values.
 */
export function instances(
  config: TerraformConfig,
  block: Block,
): { key: string | undefined; body: Record<string, unknown> }[] {
  const forEach = block.body['for_each'];
  if (forEach === undefined) return [{ key: undefined, body: { ...block.body } }];

  const entries = resolveMap(config, forEach);
  return Object.entries(entries).map(([key, value]) => {
    if (!isObject(value))
      throw new Error(`for_each entry ${key} of ${block.name} is not an object`);
    const substitute = (v: unknown): unknown => {
      if (Array.isArray(v)) return v.map(substitute);
      if (isObject(v))
        return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, substitute(x)]));
      const expr = expression(v);
      if (expr === 'each.key') return key;
      const attr = expr === undefined ? null : /^each\.value\.(\w+)$/.exec(expr);
      return attr ? value[attr[1]!] : v;
    };
    return { key, body: substitute(block.body) as Record<string, unknown> };
  });
}
