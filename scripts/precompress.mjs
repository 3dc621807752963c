// Writes the two compressed copies of each file named, beside it, that the server sends to
// browsers that take them (crates/server/src/routes/page.rs):
// - `<file>.gz`: gzip made by Zopfli (npm @gfx/zopfli), which searches harder than gzip -9 for the
//   same format: about 4% fewer bytes for the page's wasm, for every browser that takes gzip
//   but not brotli. The page weight counts these bytes. Deterministic: no name or time in it.
// - `<file>.br`: brotli at its smallest setting (quality 11).
//
// Usage: node scripts/precompress.mjs FILE...

import { readFileSync, writeFileSync } from 'node:fs';
import { brotliCompressSync, constants } from 'node:zlib';
import { gzipAsync } from '@gfx/zopfli';

// Zopfli's own default; more iterations found under 0.1% more on the page's wasm, at many times
// the time.
const ZOPFLI_ITERATIONS = 15;

for (const file of process.argv.slice(2)) {
  const bytes = readFileSync(file);
  writeFileSync(`${file}.gz`, await gzipAsync(bytes, { numiterations: ZOPFLI_ITERATIONS }));
  const compressed = brotliCompressSync(bytes, {
    params: {
      [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
      [constants.BROTLI_PARAM_LGWIN]: constants.BROTLI_MAX_WINDOW_BITS,
      [constants.BROTLI_PARAM_MODE]: file.endsWith('.wasm')
        ? constants.BROTLI_MODE_GENERIC
        : constants.BROTLI_MODE_TEXT,
      [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length,
    },
  });
  writeFileSync(`${file}.br`, compressed);
}
