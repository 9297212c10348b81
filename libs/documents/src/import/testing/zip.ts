import { crc32, createDeflateRaw } from 'node:zlib';

/**
 * Hand-made ZIP archives for the tests of hostile Word files (issue 14): a part's content is given as a number
 * of repetitions of one chunk and deflated as a stream, so a 300 MB "document" costs the test a few hundred kB
 * of memory. Headers may be made to lie. Not part of the build (`testing/` is excluded by .swcrc).
 */
export interface ZipPart {
  name: string;
  /** The part is `head`, then `chunk` repeated `times`, then `tail`. */
  head?: string;
  chunk?: Buffer | string;
  times?: number;
  tail?: string;
  /** Write this uncompressed size in the headers instead of the true one. */
  claimUncompressed?: number;
}

interface Packed {
  name: Buffer;
  crc: number;
  size: number;
  data: Buffer;
  offset: number;
}

async function deflate(part: ZipPart): Promise<{ data: Buffer; crc: number; size: number }> {
  const pieces = [
    Buffer.from(part.head ?? ''),
    ...(part.chunk !== undefined && (part.times ?? 1) > 0 ? [Buffer.from(part.chunk)] : []),
    Buffer.from(part.tail ?? ''),
  ];
  const out: Buffer[] = [];
  const z = createDeflateRaw({ level: 9 });
  z.on('data', (d: Buffer) => out.push(d));
  const done = new Promise<void>((ok, fail) => z.on('end', ok).on('error', fail));
  let crc = 0;
  let size = 0;
  const write = async (b: Buffer) => {
    crc = crc32(b, crc);
    size += b.length;
    if (!z.write(b)) await new Promise((ok) => z.once('drain', ok));
  };
  await write(pieces[0]);
  if (part.chunk !== undefined) for (let i = 0; i < (part.times ?? 1); i++) await write(pieces[1]);
  await write(pieces[pieces.length - 1]);
  z.end();
  await done;
  return { data: Buffer.concat(out), crc, size };
}

export async function buildZip(parts: ZipPart[]): Promise<Buffer> {
  const locals: Buffer[] = [];
  const packed: (Packed & { claim: number })[] = [];
  let offset = 0;
  for (const part of parts) {
    const { data, crc, size } = await deflate(part);
    const name = Buffer.from(part.name);
    const claim = part.claimUncompressed ?? size;
    const header = Buffer.alloc(30);
    header.writeUInt32LE(0x04034b50, 0);
    header.writeUInt16LE(20, 4);
    header.writeUInt16LE(0x0800, 6); // names are UTF-8
    header.writeUInt16LE(8, 8); // deflate
    header.writeUInt32LE(crc >>> 0, 14);
    header.writeUInt32LE(data.length, 18);
    header.writeUInt32LE(claim, 22);
    header.writeUInt16LE(name.length, 26);
    locals.push(header, name, data);
    packed.push({ name, crc, size, data, offset, claim });
    offset += header.length + name.length + data.length;
  }
  const central: Buffer[] = [];
  let centralSize = 0;
  for (const p of packed) {
    const h = Buffer.alloc(46);
    h.writeUInt32LE(0x02014b50, 0);
    h.writeUInt16LE(20, 4);
    h.writeUInt16LE(20, 6);
    h.writeUInt16LE(0x0800, 8);
    h.writeUInt16LE(8, 10);
    h.writeUInt32LE(p.crc >>> 0, 16);
    h.writeUInt32LE(p.data.length, 20);
    h.writeUInt32LE(p.claim, 24);
    h.writeUInt16LE(p.name.length, 28);
    h.writeUInt32LE(p.offset, 42);
    central.push(h, p.name);
    centralSize += h.length + p.name.length;
  }
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(packed.length, 8);
  end.writeUInt16LE(packed.length, 10);
  end.writeUInt32LE(centralSize, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, ...central, end]);
}

const CONTENT_TYPES =
  '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>';
const RELS =
  '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>';
const DOC_HEAD =
  '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>';
const DOC_TAIL = '</w:body></w:document>';

/** A .docx whose word/document.xml holds `paragraph` (WordprocessingML of one paragraph) `times` times. */
export function docxWith(paragraph: string, times: number, extra: Partial<ZipPart> = {}): Promise<Buffer> {
  return buildZip([
    { name: '[Content_Types].xml', head: CONTENT_TYPES },
    { name: '_rels/.rels', head: RELS },
    { name: 'word/document.xml', head: DOC_HEAD, chunk: paragraph, times, tail: DOC_TAIL, ...extra },
  ]);
}

/** One paragraph of WordprocessingML with `text` in it. */
export const wordParagraph = (text: string) => `<w:p><w:r><w:t xml:space="preserve">${text}</w:t></w:r></w:p>`;

/**
 * The zip bomb of issue 14: word/document.xml is one paragraph of `megabytes` MB of the same letter, which deflate
 * packs about 1000:1 (300 MB into about 300 kB, under the 1 MB request limit even as base64).
 */
export function docxBomb(megabytes = 300, extra: Partial<ZipPart> = {}): Promise<Buffer> {
  return buildZip([
    { name: '[Content_Types].xml', head: CONTENT_TYPES },
    { name: '_rels/.rels', head: RELS },
    {
      name: 'word/document.xml',
      head: `${DOC_HEAD}<w:p><w:r><w:t>`,
      chunk: 'a'.repeat(1024 * 1024),
      times: megabytes,
      tail: `</w:t></w:r></w:p>${DOC_TAIL}`,
      ...extra,
    },
  ]);
}
