// Page weight (issue 8): each bundle's wasm, JS and CSS (a page load fetches one bundle; see
// scripts/build-page.sh), raw and gzipped (the gzip copy the server sends, as the build counts it,
// beside gzip -9 of the same file), and the time to
// interactive of a page of each bundle on localhost in headless Chromium, each run in a fresh
// browser context (empty cache), with the bytes the page's files took on the wire and the
// encoding the server chose for its wasm.
//
// Usage: node bench/page-weight.mjs [runs]   (bench/run.sh builds what it needs first)

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { DIST, api, launchBrowser, machine, percentile, signIn, startServer } from './lib.mjs';

const runs = Number(process.argv[2] ?? 10);

// Each page, who is signed in (the ISV's pages send a signed-out visitor to the sign-in page,
// which would time the public bundle), and what shows that it has mounted and can be used.
const ISV = 'isv@contoso.example';
const PAGES = [
  { path: '/', ready: 'main h1', what: 'home' },
  { path: '/calculator', ready: 'main input', what: 'price calculator' },
  { path: '/sign-in', ready: 'main input[type=password]', what: 'sign-in form' },
  { path: '/links/no-such-link', ready: 'main > *:not(.status)', what: 'customer bundle: an unknown offer link' },
  { path: '/partner/offers', ready: 'main > *:not(.status)', what: 'partner bundle: the inbox, signed out' },
  { path: '/partner/offers/no-such-offer', ready: 'main > *:not(.status)', what: 'partner-offer bundle: an offer, signed out' },
  { path: '/partner/cppo', ready: 'main > *:not(.status)', what: 'partner CPPO bundle: resale authorizations, signed out' },
  { path: '/partner/cppo/no-such-authorization/new', ready: 'main > *:not(.status)', what: 'buyer-offer bundle: an offer to a buyer, signed out' },
  { path: '/offers', as: ISV, ready: '.offers-table', what: "ISV bundle: the ISV's dashboard" },
  { path: '/catalog', as: ISV, ready: '.price-table', what: "catalog bundle: the ISV's catalog" },
  { path: '/offers/csp/new', as: ISV, ready: '#csp-partner-search', what: 'csp-form bundle: a new CSP offer' },
  { path: '/offers/cppo/new', as: ISV, ready: '#cppo-until', what: 'cppo-form bundle: a new CPPO offer' },
  { path: '/offers/multiparty/new', as: ISV, ready: '#mp-description', what: 'multiparty-form bundle: a new multiparty offer' },
  { path: '/offers/multiparty/new/terms', as: ISV, ready: "input[name='mp-start']", what: "multiparty-terms bundle: a new multiparty offer's customer terms" },
  { path: '/offers/multiparty/new/products/existing-plans', as: ISV, ready: '#mp-add-product', what: "multiparty-existing-plans bundle: a new multiparty offer's existing plans" },
  { path: '/offers/multiparty/new/products/new-saas-plans', as: ISV, ready: '#mp-add-product', what: "multiparty-new-saas-plans bundle: a new multiparty offer's new SaaS plans" },
  { path: '/offers/multiparty/new/products/vm-reservations', as: ISV, ready: '#mp-add-product', what: "multiparty-vm-reservations bundle: a new multiparty offer's VM reservations" },
  { path: '/offers/multiparty/{draft}/review', as: ISV, ready: 'main .review .review-list', what: 'multiparty-review bundle: a saved multiparty draft reviewed' },
];

// A multiparty draft saved as the ISV, for the review to read: the review shows the offer as
// the server holds it (a new offer has nothing to review). Its ID takes `{draft}`'s place.
async function saveDraft(browser, base) {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    await page.goto(`${base}/api/health`);
    await signIn(page, ISV);
    const iso = (date) => date.toISOString().slice(0, 10);
    const today = new Date();
    const created = await api(page, 'POST', '/api/v1/multiparty-offers', {
      name: 'Bench: page weight',
      description: 'A draft for the review page.',
      customer: {
        billing_account_id:
          '5e98e158-b2ad-4c8a-9d27-3f0b1c6a7e41:0c5a3f9e-7d21-4b8e-a6f4-92d1e3b5c8a0_2019-05-31',
        country: 'US',
      },
      selling_partner_seller_id: '10000001',
      products: [
        {
          pricing_type: 'existing_plan',
          offer_id: 'contoso-analytics',
          plan_id: 'pro',
          partner_pricing: { discount_percent: '15' },
        },
      ],
      customer_start: { start: 'on_acceptance' },
      customer_end: iso(new Date(Date.UTC(today.getUTCFullYear() + 1, today.getUTCMonth() + 1, 0))),
      accept_by: iso(new Date(today.getTime() + 20 * 86_400_000)),
      terms: [],
      notification_contacts: [],
      sales_note: '',
      renewal: false,
    });
    if (created.status >= 300) throw new Error(`draft: ${JSON.stringify(created.json)}`);
    return created.json.id;
  } finally {
    await context.close();
  }
}

// Each bundle a page load fetches (scripts/build-page.sh): the public one in dist/, the others
// in dist/bundles/<name>/.
function bundles() {
  const dirs = [['public', DIST]];
  const nested = join(DIST, 'bundles');
  if (existsSync(nested)) {
    for (const name of readdirSync(nested).sort()) dirs.push([name, join(nested, name)]);
  }
  return dirs.map(([name, dir]) => {
    const files = readdirSync(dir)
      .filter((file) => /\.(wasm|js|css)$/.test(file))
      .sort()
      .map((file) => {
        const bytes = readFileSync(join(dir, file));
        const served = join(dir, `${file}.gz`);
        return {
          name: file,
          raw: bytes.length,
          gzipped: existsSync(served) ? readFileSync(served).length : null,
          gzip9: gzipSync(bytes, { level: 9 }).length,
        };
      });
    const total = files.reduce(
      (sum, row) => ({
        raw: sum.raw + row.raw,
        gzipped: sum.gzipped === null || row.gzipped === null ? null : sum.gzipped + row.gzipped,
        gzip9: sum.gzip9 + row.gzip9,
      }),
      { raw: 0, gzipped: 0, gzip9: 0 },
    );
    return { name, files, total };
  });
}

// Installed before the page's own scripts: records when the ready selector first matches.
function watchReady(selector) {
  const check = () => {
    if (window.__ready === undefined && document.querySelector(selector)) {
      window.__ready = performance.now();
    }
  };
  new MutationObserver(check).observe(document, { childList: true, subtree: true });
}

// The page's own files (its HTML, wasm, JS and CSS; not the API's answers): bytes on the wire
// (after Content-Encoding) and as decoded.
function pageFilesFetched() {
  const entries = [
    ...performance.getEntriesByType('navigation'),
    ...performance.getEntriesByType('resource'),
  ].filter((entry) => !new URL(entry.name).pathname.startsWith('/api/'));
  return {
    wire: entries.reduce((sum, entry) => sum + entry.encodedBodySize, 0),
    decoded: entries.reduce((sum, entry) => sum + entry.decodedBodySize, 0),
  };
}

async function timeToInteractive(browser, base, { path, as, ready }) {
  const samples = [];
  const wasm = [];
  let fetched = null;
  let encoding = null;
  for (let run = 0; run < runs; run += 1) {
    const context = await browser.newContext();
    const page = await context.newPage();
    page.on('response', (response) => {
      if (response.url().endsWith('.wasm')) {
        encoding = response.headers()['content-encoding'] ?? 'none';
      }
    });
    if (as) {
      // The session cookie, from an answer of the API: the page's files stay uncached.
      await page.goto(`${base}/api/health`);
      await signIn(page, as);
    }
    await page.addInitScript(watchReady, ready);
    await page.goto(base + path, { waitUntil: 'load' });
    await page.waitForFunction(() => window.__ready !== undefined, null, { timeout: 30_000 });
    const timing = await page.evaluate(() => {
      const resource = performance
        .getEntriesByType('resource')
        .find((entry) => entry.name.endsWith('.wasm'));
      return { ready: window.__ready, wasm: resource ? resource.responseEnd : null };
    });
    samples.push(timing.ready);
    if (timing.wasm !== null) wasm.push(timing.wasm);
    await page.waitForLoadState('load');
    fetched = await page.evaluate(pageFilesFetched);
    await context.close();
  }
  return {
    median: percentile(samples, 50),
    p95: percentile(samples, 95),
    wasmFetched: wasm.length ? percentile(wasm, 50) : null,
    fetched,
    encoding,
  };
}

// The calculator answers typing once it is interactive: a check, not a timing.
async function checkCalculatorWorks(browser, base) {
  const page = await browser.newPage();
  await page.goto(`${base}/calculator`);
  await page.getByLabel('List price').pressSequentially('100');
  await page.getByLabel('Discount %', { exact: true }).pressSequentially('10');
  const shown = await page.locator('output').first().textContent();
  await page.close();
  if (!shown || !shown.includes('90')) {
    throw new Error(`the calculator did not price $100 - 10%: its first output shows ${shown}`);
  }
}

const server = await startServer();
const browser = await launchBrowser();
try {
  const weights = bundles();
  await checkCalculatorWorks(browser, server.base);
  const draft = await saveDraft(browser, server.base);
  const timings = [];
  for (const listed of PAGES) {
    const page = { ...listed, path: listed.path.replace('{draft}', draft) };
    timings.push({ ...page, ...(await timeToInteractive(browser, server.base, page)) });
  }

  const kb = (bytes) => (bytes / 1024).toFixed(1);
  const sized = (bytes) => (bytes === null ? 'no .gz copy' : `${bytes} (${kb(bytes)} KB)`);
  const out = [];
  out.push(`Machine: ${machine(browser)}`);
  out.push(`Command: node bench/page-weight.mjs ${runs} (server: ${server.binary}, page: dist/)`);
  out.push('');
  out.push('| bundle (one page load) | file | raw bytes | gzipped bytes (as served: Zopfli) | gzip -9 bytes |');
  out.push('| --- | --- | ---: | ---: | ---: |');
  for (const bundle of weights) {
    for (const row of bundle.files) {
      out.push(`| ${bundle.name} | ${row.name} | ${sized(row.raw)} | ${sized(row.gzipped)} | ${sized(row.gzip9)} |`);
    }
    const { total } = bundle;
    out.push(`| **${bundle.name}** | **total** | **${sized(total.raw)}** | **${sized(total.gzipped)}** | **${sized(total.gzip9)}** |`);
  }
  out.push('');
  out.push(`Time to interactive on localhost, ${runs} cold loads each (fresh context, empty cache): from navigation`);
  out.push('start until the page has mounted its content (the event handlers are attached as it mounts).');
  out.push('');
  out.push('"Page files" are the HTML, wasm, JS and CSS of the last load: bytes on the wire / decoded, and');
  out.push("the Content-Encoding the server sent the wasm in for this browser's Accept-Encoding.");
  out.push('');
  out.push('| page | shows | median ms | p95 ms | wasm fetched by (median ms) | page files: wire / decoded bytes | wasm encoding |');
  out.push('| --- | --- | ---: | ---: | ---: | ---: | --- |');
  for (const t of timings) {
    out.push(`| ${t.path} | ${t.what} | ${t.median.toFixed(1)} | ${t.p95.toFixed(1)} | ${t.wasmFetched?.toFixed(1) ?? '-'} | ${t.fetched.wire} / ${t.fetched.decoded} | ${t.encoding ?? '-'} |`);
  }
  console.log(out.join('\n'));
} finally {
  await browser.close();
  await server.stop();
}
