// Makes the portal's bitmap icons from app/icon.svg (the favicon browsers take first): the
// Apple touch icon, the web manifest's icons and favicon.ico for browsers that ask for it
// alone. Run `node scripts/make-icons.mjs` after changing the SVG; the outputs are committed.
import { readFileSync, writeFileSync } from 'node:fs';
import sharp from 'sharp';

const svg = readFileSync('app/icon.svg', 'utf8');
// iOS rounds the corners itself and fills transparency with black: a full square for it
const square = svg.replace(/rx="[^"]*"/, 'rx="0"');

const png = (source, size) =>
  sharp(Buffer.from(source), { density: Math.ceil((72 * size) / 32) })
    .resize(size, size)
    .png()
    .toBuffer();

writeFileSync('app/apple-icon.png', await png(square, 180));
writeFileSync('public/icons/icon-192.png', await png(svg, 192));
writeFileSync('public/icons/icon-512.png', await png(svg, 512));

// An ICO file may hold PNG images as they are: a 6-byte header, a 16-byte entry per image, the images.
const sizes = [16, 32, 48];
const images = await Promise.all(sizes.map((s) => png(svg, s)));
const header = Buffer.alloc(6);
header.writeUInt16LE(0, 0);
header.writeUInt16LE(1, 2);
header.writeUInt16LE(images.length, 4);
let offset = 6 + 16 * images.length;
const entries = images.map((image, i) => {
  const entry = Buffer.alloc(16);
  entry.writeUInt8(sizes[i], 0);
  entry.writeUInt8(sizes[i], 1);
  entry.writeUInt16LE(1, 4); // colour planes
  entry.writeUInt16LE(32, 6); // bits per pixel
  entry.writeUInt32LE(image.length, 8);
  entry.writeUInt32LE(offset, 12);
  offset += image.length;
  return entry;
});
writeFileSync('app/favicon.ico', Buffer.concat([header, ...entries, ...images]));
