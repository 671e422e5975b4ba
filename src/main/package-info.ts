/**
 * The app's name and version as package.json states them, for the headless entries (CLI,
 * loopback bridge). Both run from `src/main` or `out/main`, two folders below the package root.
 */
import { readFileSync } from 'node:fs';

export interface PackageInfo {
  name: string;
  productName: string;
  version: string;
}

/** Reads the package root's package.json. */
export function readPackageInfo(): PackageInfo {
  const text = readFileSync(new URL('../../package.json', import.meta.url), 'utf8');
  const parsed = JSON.parse(text) as Partial<PackageInfo>;
  return {
    name: parsed.name ?? 'release-cockpit',
    productName: parsed.productName ?? 'Release Cockpit',
    version: parsed.version ?? '0.0.0',
  };
}
