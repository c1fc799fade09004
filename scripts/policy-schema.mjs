// Writes schemas/policy.schema.json from the policy's zod schema (src/core/policy/policySchema.ts),
// the one source of both; run after compile-tests. A unit test fails when the file is out of date.
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const { policyJsonSchema } = require('../out/src/core/policy/policySchema.js');
writeFileSync(fileURLToPath(import.meta.resolve('../schemas/policy.schema.json')), `${JSON.stringify(policyJsonSchema(), null, 2)}\n`);
