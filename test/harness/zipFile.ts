/**
 * Reads a .zip (a VSIX) without unzip: its entries' names and sizes from the central directory, and
 * the entries themselves (stored or deflated), so a test can look into a package on any platform.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { inflateRawSync } from 'node:zlib';

export interface ZipEntry {
  name: string;
  size: number;
  /** Where its local header starts. */
  offset: number;
  compressed: number;
  method: number;
}

export function zipEntries(file: string): ZipEntry[] {
  const buf = fs.readFileSync(file);
  const eocd = buf.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (eocd < 0) throw new Error(`${file} is not a zip file`);
  const count = buf.readUInt16LE(eocd + 10);
  let at = buf.readUInt32LE(eocd + 16);
  const entries: ZipEntry[] = [];
  for (let i = 0; i < count; i++) {
    if (buf.readUInt32LE(at) !== 0x02014b50) throw new Error(`${file}: bad central directory`);
    const nameLength = buf.readUInt16LE(at + 28);
    entries.push({
      method: buf.readUInt16LE(at + 10),
      compressed: buf.readUInt32LE(at + 20),
      size: buf.readUInt32LE(at + 24),
      offset: buf.readUInt32LE(at + 42),
      name: buf.toString('utf8', at + 46, at + 46 + nameLength),
    });
    at += 46 + nameLength + buf.readUInt16LE(at + 30) + buf.readUInt16LE(at + 32);
  }
  return entries;
}

export function readZipEntry(file: string, entry: ZipEntry): Buffer {
  const buf = fs.readFileSync(file);
  const start = entry.offset + 30 + buf.readUInt16LE(entry.offset + 26) + buf.readUInt16LE(entry.offset + 28);
  const data = buf.subarray(start, start + entry.compressed);
  if (entry.method === 0) return Buffer.from(data);
  if (entry.method === 8) return inflateRawSync(data);
  throw new Error(`${entry.name}: compression method ${entry.method}`);
}

/** Every file of the zip under `dest`. */
export function unzip(file: string, dest: string): void {
  for (const e of zipEntries(file)) {
    if (e.name.endsWith('/')) continue;
    const target = path.join(dest, e.name);
    if (!target.startsWith(path.resolve(dest) + path.sep)) throw new Error(`${e.name} leaves the folder`);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, readZipEntry(file, e));
  }
}
