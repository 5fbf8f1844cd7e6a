import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { OCI_CONFIG, OCI_LAYER_TAR, type Image } from './image.ts';

/** A small but genuine single-layer image (tar of real files), for tests. */
export function smallImage(files: Record<string, string | Buffer>): Image {
  const dir = mkdtempSync(path.join(tmpdir(), 'dso-image-'));
  try {
    for (const [name, content] of Object.entries(files)) writeFileSync(path.join(dir, name), content);
    const layer = execFileSync('tar', ['--sort=name', '--mtime=@0', '--owner=0', '--group=0', '--numeric-owner', '-cf', '-', '-C', dir, ...Object.keys(files)], {
      maxBuffer: 64 * 1024 * 1024,
    });
    const diffId = `sha256:${createHash('sha256').update(layer).digest('hex')}`;
    const config = {
      architecture: 'amd64',
      os: 'linux',
      config: { Cmd: ['/hello'] },
      rootfs: { type: 'layers', diff_ids: [diffId] },
    };
    return {
      config: { mediaType: OCI_CONFIG, data: Buffer.from(JSON.stringify(config)) },
      layers: [{ mediaType: OCI_LAYER_TAR, data: layer }],
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
