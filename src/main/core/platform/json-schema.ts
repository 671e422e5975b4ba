/**
 * The platform file's JSON Schema, generated from the zod schema so editors can complete and
 * check the file (`$schema: ../platform.schema.json`). Written to `resources/` by `npm run schema`;
 * a test fails when the committed copy drifts.
 */
import { z } from 'zod';
import { Platform } from './schema';

/** The JSON Schema text, as committed in `resources/platform.schema.json`. */
export function platformJsonSchema(): string {
  const schema = z.toJSONSchema(Platform, { io: 'input', unrepresentable: 'any' });
  const document = {
    ...schema,
    $id: 'https://release-cockpit.local/platform.schema.json',
    title: 'Release Cockpit platform file',
    description: 'One platform: environments, services, credentials (names only), policy, comms and rollback.',
  };
  return `${JSON.stringify(document, null, 2)}\n`;
}
