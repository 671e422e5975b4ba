// `npm run schema`: regenerates resources/platform.schema.json from the zod schema.
import { writeFileSync } from 'node:fs';
import { platformJsonSchema } from '../src/main/core/platform/json-schema';

const target = new URL('../resources/platform.schema.json', import.meta.url);
writeFileSync(target, platformJsonSchema());
process.stdout.write(`Wrote ${target.pathname}\n`);
