/**
 * `terraform fmt -check` over terraform/, where the terraform CLI is
 * installed (providers are not needed for formatting). The child gets an
 * empty CLI configuration file so a missing ~/.terraformrc prints nothing.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TERRAFORM_DIR } from '../support/terraform-config.js';

const hasTerraform = (() => {
  try {
    execFileSync('terraform', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

describe('terraform fmt', () => {
  it.runIf(hasTerraform)('finds nothing to reformat in terraform/', () => {
    const dir = mkdtempSync(join(tmpdir(), 'spacelog-tf-'));
    const rc = join(dir, 'terraformrc');
    writeFileSync(rc, '');
    try {
      const run = spawnSync('terraform', ['fmt', '-check', '-recursive', '-diff', TERRAFORM_DIR], {
        encoding: 'utf8',
        env: { ...process.env, TF_CLI_CONFIG_FILE: rc },
        timeout: 30_000,
      });
      expect(run.error).toBeUndefined();
      expect(run.stderr).toBe('');
      expect(run.stdout, 'files terraform fmt would change').toBe('');
      expect(run.status).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
