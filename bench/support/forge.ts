// The reference repository's forge, in its own process as a real forge would be: `git http-backend` behind a
// small HTTP server. Started by bench/chain.ts, which reads the clone URL from the first line printed and stops
// it with SIGTERM. Argument: a JSON file { path: content } of the first commit.
import { readFileSync } from 'node:fs';
import { startExternalRepository } from '../../test/support/chain.ts';

const files = JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as Record<string, string>;
const forge = await startExternalRepository(files);
process.stdout.write(`${forge.url}\n`);
process.on('SIGTERM', () => void forge.stop().then(() => process.exit(0)));
