// A zip of named files in memory (yazl), for the app packages Microsoft 365 sideloads.
import yazl from 'yazl';

export function zipFiles(files: Record<string, string | Uint8Array>): Promise<Uint8Array> {
  const zip = new yazl.ZipFile();
  // A fixed time, so the same manifest gives the same bytes.
  const mtime = new Date('2026-01-01T00:00:00Z');
  for (const [name, content] of Object.entries(files)) {
    zip.addBuffer(Buffer.from(content), name, { mtime });
  }
  zip.end();
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    zip.outputStream.on('data', (chunk: Buffer) => chunks.push(chunk));
    zip.outputStream.on('error', reject);
    zip.outputStream.on('end', () => resolve(new Uint8Array(Buffer.concat(chunks))));
  });
}
