// Packaging a chart folder into a .tgz without helm, deterministically (sorted entries, fixed times and modes): the
// catalogue shipped with the product is packaged at start-up this way, so every installation and every replica
// stores the same bytes under the same digest, with no subprocess on the start-up path.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';

function header(name: string, size: number): Buffer {
  const block = Buffer.alloc(512);
  if (Buffer.byteLength(name) > 100) throw new Error(`path too long for a chart archive: ${name}`);
  block.write(name, 0, 100, 'utf8');
  block.write('0000644\0', 100, 8, 'ascii');
  block.write('0000000\0', 108, 8, 'ascii');
  block.write('0000000\0', 116, 8, 'ascii');
  block.write(`${size.toString(8).padStart(11, '0')}\0`, 124, 12, 'ascii');
  block.write('00000000000\0', 136, 12, 'ascii');
  block.write('        ', 148, 8, 'ascii');
  block.write('0', 156, 1, 'ascii');
  block.write('ustar\0', 257, 6, 'ascii');
  block.write('00', 263, 2, 'ascii');
  let sum = 0;
  for (const byte of block) sum += byte;
  block.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 8, 'ascii');
  return block;
}

function filesOf(dir: string, base = ''): string[] {
  return readdirSync(path.join(dir, base), { withFileTypes: true })
    .sort((a, b) => (a.name < b.name ? -1 : 1))
    .flatMap((entry) => {
      const relative = base === '' ? entry.name : `${base}/${entry.name}`;
      if (entry.isDirectory()) return filesOf(dir, relative);
      return entry.isFile() ? [relative] : [];
    });
}

/** A .tgz of the folder's regular files under `<name>/`, as helm lays charts out. */
export function packChartFolder(dir: string, name: string): Buffer {
  const blocks: Buffer[] = [];
  for (const file of filesOf(dir)) {
    const content = readFileSync(path.join(dir, file));
    if (statSync(path.join(dir, file)).size !== content.length) throw new Error(`${file} changed while packaging`);
    blocks.push(header(`${name}/${file}`, content.length), content, Buffer.alloc((512 - (content.length % 512)) % 512));
  }
  blocks.push(Buffer.alloc(1024));
  return gzipSync(Buffer.concat(blocks), { level: 9 });
}
