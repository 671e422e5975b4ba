import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCockpit } from '../helpers/cockpit-cli';
import { validPlatformYaml, withChange } from '../main/core/platform/platform-builder';

function cockpit(args: string[]) {
  return runCockpit(args);
}

function writePlatform(text: string): string {
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'cockpit-validate-')), 'shop.yaml');
  writeFileSync(file, text);
  return file;
}

describe('cockpit validate', () => {
  it('exits 0 with a one-line summary for the sample platform', async () => {
    const result = await cockpit(['validate', 'resources/platforms/penpal-ai.yaml']);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(
      'resources/platforms/penpal-ai.yaml: Penpal AI is valid — 2 environments, 7 services, 12 credentials.\n',
    );
  });

  it('exits 1 and prints every problem, of every kind, in one pass as file:line:column', async () => {
    const file = writePlatform(
      withChange('dependsOn: [db]', 'dependsOn: [db, cache]').replace('version: 1', 'version: 7'),
    );
    const result = await cockpit(['validate', file]);
    expect(result.code).toBe(1);
    expect(result.stderr.split('\n')).toEqual([
      `${file}:1:10: version: expected 1, got 7`,
      `${file}:32:21: services[api].dependsOn[1]: unknown service "cache" in dependsOn; expected one of "db", "api"`,
      `2 problems in ${file}.`,
      '',
    ]);
  });

  it('prints machine-readable problems with --json', async () => {
    const file = writePlatform(withChange('dependsOn: [db]', 'dependsOn: [cache]'));
    const result = await cockpit(['validate', file, '--json']);
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout)).toEqual({
      valid: false,
      problems: [
        {
          file,
          line: 32,
          column: 17,
          path: 'services[api].dependsOn[0]',
          message: 'unknown service "cache" in dependsOn; expected one of "db", "api"',
        },
      ],
    });
  });

  it('exits 2 naming the path of a file that is not there', async () => {
    const missing = path.join(os.tmpdir(), 'cockpit-no-such-platform.yaml');
    const result = await cockpit(['validate', missing]);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(`cockpit validate: ${missing}: no such file.\n`);
  });

  it('exits 2 on bad usage', async () => {
    expect((await cockpit(['validate'])).code).toBe(2);
    expect((await cockpit(['validate', 'a.yaml', 'b.yaml'])).code).toBe(2);
    const unknownOption = await cockpit(['validate', writePlatform(validPlatformYaml), '--fast']);
    expect(unknownOption.code).toBe(2);
    expect(unknownOption.stderr).toContain("Unknown option '--fast'");
  });
});
