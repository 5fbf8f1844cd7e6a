// Archives from outside are read under limits: links, `..` paths, absolute paths, gzip bombs and archives without a
// chart are refused with a reason, before anything reaches the disk.
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { readChartArchive } from './chart-archive.ts';
import { packChartFolder } from './pack.ts';
import { defaultCatalogueDir } from './default-catalogue.ts';
import path from 'node:path';

/** A tar entry (ustar header + data) with a given name and type flag. */
function entry(name: string, content: string, type = '0', linkName = ''): Buffer {
  const data = Buffer.from(content);
  const header = Buffer.alloc(512);
  header.write(name, 0, 100);
  header.write('0000644\0', 100);
  header.write('0000000\0', 108);
  header.write('0000000\0', 116);
  header.write(`${data.length.toString(8).padStart(11, '0')}\0`, 124);
  header.write('00000000000\0', 136);
  header.write('        ', 148);
  header.write(type, 156);
  header.write(linkName, 157, 100);
  header.write('ustar\0', 257);
  header.write('00', 263);
  let sum = 0;
  for (const b of header) sum += b;
  header.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148);
  return Buffer.concat([header, data, Buffer.alloc((512 - (data.length % 512)) % 512)]);
}
const tgz = (...entries: Buffer[]) => gzipSync(Buffer.concat([...entries, Buffer.alloc(1024)]));
const chartYaml = 'apiVersion: v2\nname: demo\nversion: 1.0.0\n';

describe('reading a chart archive', () => {
  it('reads a chart packaged by us', () => {
    const archive = readChartArchive(packChartFolder(path.join(defaultCatalogueDir, 'static-site'), 'static-site'));
    expect(archive.top).toBe('static-site');
    expect(archive.files.map((f) => f.path)).toContain('templates/deployment.yaml');
  });
  it('refuses a path that leaves its folder', () => {
    expect(() => readChartArchive(tgz(entry('demo/Chart.yaml', chartYaml), entry('demo/../../etc/cron.d/x', 'boom')))).toThrow(/leaving its folder/);
  });
  it('refuses an absolute path', () => {
    expect(() => readChartArchive(tgz(entry('/etc/passwd', 'x')))).toThrow(/absolute path/);
  });
  it('refuses symbolic and hard links', () => {
    expect(() => readChartArchive(tgz(entry('demo/Chart.yaml', chartYaml), entry('demo/values.yaml', '', '2', '/etc/shadow')))).toThrow(/link or special file/);
    expect(() => readChartArchive(tgz(entry('demo/Chart.yaml', chartYaml), entry('demo/values.yaml', '', '1', 'demo/Chart.yaml')))).toThrow(/link or special file/);
  });
  it('refuses a gzip bomb before expanding it', () => {
    expect(() => readChartArchive(gzipSync(Buffer.alloc(100 * 1024 * 1024)))).toThrow(/expands to more than/);
  });
  it('refuses an archive without a chart, or with several top folders', () => {
    expect(() => readChartArchive(tgz(entry('demo/values.yaml', 'a: 1')))).toThrow(/no chart/);
    expect(() => readChartArchive(tgz(entry('demo/Chart.yaml', chartYaml), entry('other/x.yaml', 'a: 1')))).toThrow(/no chart/);
  });
});
