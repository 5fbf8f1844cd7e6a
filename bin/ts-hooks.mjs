// Module hooks that run the product's TypeScript sources without a build step, and only them: resolution is
// left entirely to Node (our imports name their `.ts` files), node_modules are never touched, and each source
// is transformed once by esbuild then cached on disk by content hash. A general-purpose loader (tsx) resolves
// every bare specifier itself, which cost seconds at start-up.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { transform } from 'esbuild';

const cacheDir = join(process.env.DSO_TS_CACHE_DIR ?? join(tmpdir(), `dso-ts-cache-${process.getuid?.() ?? 'user'}`));
mkdirSync(cacheDir, { recursive: true });
const isTypeScript = (url) => url.startsWith('file:') && url.endsWith('.ts') && !url.includes('/node_modules/');

export async function load(url, context, nextLoad) {
  if (!isTypeScript(url)) return nextLoad(url, context);
  const filename = fileURLToPath(url);
  const source = readFileSync(filename, 'utf8');
  const key = createHash('sha1').update(filename).update('\0').update(source).digest('hex');
  const cached = join(cacheDir, `${key}.mjs`);
  let code;
  try {
    code = readFileSync(cached, 'utf8');
  } catch {
    const result = await transform(source, {
      loader: 'ts',
      format: 'esm',
      target: 'node20',
      sourcefile: filename,
      sourcemap: 'inline',
    });
    code = result.code;
    const temporary = `${cached}.${process.pid}.tmp`;
    writeFileSync(temporary, code);
    renameSync(temporary, cached);
  }
  return { format: 'module', source: code, shortCircuit: true };
}
