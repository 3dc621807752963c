// Minifies the JavaScript that wasm-bindgen wrote into each bundle directory (Trunk minifies the
// HTML and CSS itself, Trunk.toml's `minify`, but copies this file as it is), without the stream
// classes no page uses (see `withoutStreamClasses`), and then checks that
// every file index.html names with an integrity hash still has that hash, so that a browser never
// refuses a file the build changed after Trunk hashed it (the wasm's preload link loses its
// integrity attribute, see below). scripts/build-page.sh runs it after Trunk and before the gzip
// and brotli copies.
//
// Usage: node scripts/minify-glue.mjs DIR...

import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { minify } from 'terser';

const integrity = (bytes) => `sha384-${createHash('sha384').update(bytes).digest('base64')}`;

/**
 * The glue without wasm-streams' stream classes, whose exports Trunk's wasm-opt run removes
 * (index.html's `data-wasm-opt-params`): no page uses them, and their code would call exports
 * that are gone. Each goes whole (the class, its `Symbol.dispose` line and its finalization
 * registry), so terser then drops what only they used. A glue laid out otherwise is left as it
 * is, with a warning: it still works, only heavier.
 */
const withoutStreamClasses = (source, path) => {
  const stripped = source
    .replace(
      /^export class (IntoUnderlying\w+) \{\n[\s\S]*?^if \(Symbol\.dispose\) \1\.prototype\[Symbol\.dispose\] = \1\.prototype\.free;\n/gm,
      '',
    )
    .replace(/^const IntoUnderlying\w+Finalization = [\s\S]*?\);\n/gm, '');
  if (stripped.includes('IntoUnderlying')) {
    console.warn(`minify-glue: ${path}: the stream classes are not where expected; kept`);
    return source;
  }
  return stripped;
};

/** The value of `name` in one HTML tag, quoted or not (Trunk's minified HTML drops the quotes). */
const attribute = (tag, name) => {
  const found = tag.match(new RegExp(`\\s${name}=(?:"([^"]*)"|'([^']*)'|([^\\s>]+))`));
  return found ? (found[1] ?? found[2] ?? found[3]) : undefined;
};

for (const dir of process.argv.slice(2)) {
  const indexPath = join(dir, 'index.html');
  let html = readFileSync(indexPath, 'utf8');

  for (const name of readdirSync(dir).filter((file) => file.endsWith('.js'))) {
    const path = join(dir, name);
    const source = readFileSync(path);
    const { code } = await minify(withoutStreamClasses(source.toString('utf8'), path), {
      module: true,
      compress: true,
      mangle: true,
      format: { comments: false },
    });
    const before = integrity(source);
    if (!html.includes(before)) {
      throw new Error(`${indexPath} does not name ${name} by its integrity hash ${before}`);
    }
    html = html.replaceAll(before, integrity(code));
    writeFileSync(path, code);
    console.log(`minify-glue: ${path} ${source.length} -> ${Buffer.byteLength(code)} bytes`);
  }
  // The wasm's preload link: Chromium ignores an integrity attribute on a `fetch` preload and
  // warns about it on every page load (crbug.com/981419), and wasm-bindgen's loader fetches the
  // wasm without one, so it was never checked by its hash. The attribute goes; the JavaScript
  // and CSS keep theirs.
  html = html.replace(/<link\b[^>]*>/g, (tag) =>
    attribute(tag, 'rel') === 'preload' && (attribute(tag, 'href') ?? '').endsWith('.wasm')
      ? tag.replace(/\sintegrity=(?:"[^"]*"|'[^']*'|[^\s>]+)/, '')
      : tag,
  );
  writeFileSync(indexPath, html);

  for (const tag of html.match(/<(?:link|script)\b[^>]*>/g) ?? []) {
    const expected = attribute(tag, 'integrity');
    if (expected === undefined) continue;
    const href = attribute(tag, 'href') ?? attribute(tag, 'src');
    const actual = integrity(readFileSync(join(dir, basename(href))));
    if (actual !== expected) {
      throw new Error(`${indexPath} names ${href} by ${expected}, but the file's hash is ${actual}`);
    }
  }
}
