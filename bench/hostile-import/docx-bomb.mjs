// A .docx whose word/document.xml is one paragraph of `megabytes` MB of the letter "a": deflated as a stream
// (about 1000:1), so 300 MB costs about 300 kB and little memory to make. The tests' TypeScript twin is
// libs/documents/src/import/testing/zip.ts.
import { crc32, createDeflateRaw } from 'node:zlib';

const TYPES =
  '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>';
const RELS =
  '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>';
const HEAD =
  '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>';
const TAIL = '</w:t></w:r></w:p></w:body></w:document>';

async function deflate(pieces) {
  const z = createDeflateRaw({ level: 9 });
  const out = [];
  z.on('data', (d) => out.push(d));
  const ended = new Promise((ok, fail) => z.on('end', ok).on('error', fail));
  let crc = 0;
  let size = 0;
  for (const p of pieces) {
    crc = crc32(p, crc);
    size += p.length;
    if (!z.write(p)) await new Promise((ok) => z.once('drain', ok));
  }
  z.end();
  await ended;
  return { data: Buffer.concat(out), crc, size };
}

function* documentPieces(megabytes) {
  yield Buffer.from(HEAD);
  const mb = Buffer.alloc(1024 * 1024, 'a');
  for (let i = 0; i < megabytes; i++) yield mb;
  yield Buffer.from(TAIL);
}

export async function docxBomb(megabytes = 300) {
  const parts = [
    ['[Content_Types].xml', await deflate([Buffer.from(TYPES)])],
    ['_rels/.rels', await deflate([Buffer.from(RELS)])],
    ['word/document.xml', await deflate(documentPieces(megabytes))],
  ];
  const local = [];
  const central = [];
  let offset = 0;
  for (const [name, { data, crc, size }] of parts) {
    const n = Buffer.from(name);
    const h = Buffer.alloc(30);
    h.writeUInt32LE(0x04034b50, 0);
    h.writeUInt16LE(20, 4);
    h.writeUInt16LE(8, 8);
    h.writeUInt32LE(crc >>> 0, 14);
    h.writeUInt32LE(data.length, 18);
    h.writeUInt32LE(size, 22);
    h.writeUInt16LE(n.length, 26);
    const c = Buffer.alloc(46);
    c.writeUInt32LE(0x02014b50, 0);
    c.writeUInt16LE(20, 4);
    c.writeUInt16LE(20, 6);
    c.writeUInt16LE(8, 10);
    c.writeUInt32LE(crc >>> 0, 16);
    c.writeUInt32LE(data.length, 20);
    c.writeUInt32LE(size, 24);
    c.writeUInt16LE(n.length, 28);
    c.writeUInt32LE(offset, 42);
    local.push(h, n, data);
    central.push(c, n);
    offset += h.length + n.length + data.length;
  }
  const dir = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(parts.length, 8);
  end.writeUInt16LE(parts.length, 10);
  end.writeUInt32LE(dir.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...local, dir, end]);
}
