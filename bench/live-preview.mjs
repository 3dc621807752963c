// Live preview (issue 8): in headless Chromium, a multiparty offer with 10 products x 20 meters
// (200 meter prices, plus each plan's monthly flat rate: 210 price lines) in the selling
// partner's offer page. Times each input event on "Customer adjustment %" to the last DOM update
// it causes, over 200 input events; then, in the same page, times the same 210-line computation
// in plain JavaScript with decimal.js against the pricing core compiled to WebAssembly
// (bench/wasm-core, built into bench/pkg by bench/run.sh), after checking both give identical
// results for every input.
//
// Usage: node bench/live-preview.mjs   (bench/run.sh builds what it needs first)

import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { REPO, api, launchBrowser, machine, percentile, signIn, signOut, startServer } from './lib.mjs';

const PRODUCTS = 10;
const METERS = 20;
const KEYSTROKES = 200;
const DISCOUNT = '20';
const OFFER_ID = 'bench-meters';

const require = createRequire(import.meta.url);
const DECIMAL_MJS = join(require.resolve('decimal.js'), '..', 'decimal.mjs');
const PKG = join(REPO, 'bench', 'pkg');
if (!existsSync(join(PKG, 'offerdesk_bench_core_bg.wasm'))) {
  throw new Error('bench/pkg is missing: run bash bench/run.sh (it builds bench/wasm-core)');
}

// A catalog offer with ten flat-rate plans of twenty meters each; prices vary per meter so that
// every line rounds differently.
function catalog() {
  const plans = [];
  for (let p = 0; p < PRODUCTS; p += 1) {
    const meters = [];
    for (let m = 0; m < METERS; m += 1) {
      const cents = 1 + ((p * METERS + m) * 37) % 997;
      meters.push({
        id: `meter-${m + 1}`,
        unit: `unit ${m + 1}`,
        price_per_unit: `0.${String(cents).padStart(4, '0')}${(p + m) % 10}`,
      });
    }
    plans.push({
      id: `plan-${p + 1}`,
      name: `Plan ${p + 1}`,
      trial: false,
      pricing: {
        model: 'flat_rate',
        prices: [{ billing_term: 'one_month', price: `${100 + p * 17}.${String((p * 13) % 100).padStart(2, '0')}` }],
        included_quantities: [],
      },
      meters,
    });
  }
  return {
    offers: [{ id: OFFER_ID, name: 'Bench Meters', offer_type: 'saas', cloud_reseller: false, plans }],
  };
}

// 200 input events as a person edits the field: each sets a new adjustment within the 20% cap,
// with 0 to 4 decimal places, so every event changes the prices.
function adjustments() {
  const values = [];
  let seed = 12345;
  const next = () => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed;
  };
  while (values.length < KEYSTROKES) {
    const whole = next() % 20;
    const places = next() % 5;
    const fraction = places ? `.${String(next() % 10 ** places).padStart(places, '0')}` : '';
    const value = `${whole}${fraction}`;
    if (value !== values[values.length - 1]) values.push(value);
  }
  return values;
}

async function waitForStatus(page, id, status) {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const answer = await api(page, 'GET', `/api/v1/multiparty-offers/${id}`);
    if (answer.json?.offer?.status === status) return answer.json;
    if (Date.now() > deadline) throw new Error(`offer ${id} never reached ${status}: ${JSON.stringify(answer.json)}`);
    await new Promise((done) => setTimeout(done, 200));
  }
}

// As the ISV: import the catalog, create and submit the offer to Fabrikam, wait for the partner.
async function prepareOffer(page) {
  await signIn(page, 'isv@contoso.example');
  const imported = await api(page, 'POST', '/api/v1/catalog/import', catalog());
  if (imported.status >= 300) throw new Error(`catalog import: ${JSON.stringify(imported.json)}`);
  const today = new Date();
  const iso = (date) => date.toISOString().slice(0, 10);
  const acceptBy = new Date(today.getTime() + 20 * 86_400_000);
  const end = new Date(Date.UTC(today.getUTCFullYear() + 1, today.getUTCMonth() + 1, 0));
  const created = await api(page, 'POST', '/api/v1/multiparty-offers', {
    name: 'Bench: 10 products x 20 meters',
    description: 'Live preview benchmark.',
    customer: {
      billing_account_id:
        '5e98e158-b2ad-4c8a-9d27-3f0b1c6a7e41:0c5a3f9e-7d21-4b8e-a6f4-92d1e3b5c8a0_2019-05-31',
      country: 'US',
    },
    selling_partner_seller_id: '10000001',
    products: Array.from({ length: PRODUCTS }, (_, p) => ({
      pricing_type: 'existing_plan',
      offer_id: OFFER_ID,
      plan_id: `plan-${p + 1}`,
      partner_pricing: { discount_percent: DISCOUNT },
    })),
    customer_start: { start: 'on_acceptance' },
    customer_end: iso(end),
    accept_by: iso(acceptBy),
    terms: [],
    notification_contacts: [],
    sales_note: '',
    renewal: false,
  });
  if (created.status >= 300) throw new Error(`offer: ${JSON.stringify(created.json)}`);
  const { id, version } = created.json;
  const submitted = await api(page, 'POST', `/api/v1/multiparty-offers/${id}/submit`, { version }, `bench-${id}`);
  if (submitted.status >= 300) throw new Error(`submit: ${JSON.stringify(submitted.json)}`);
  await waitForStatus(page, id, 'PendingPartnerAction');
  await signOut(page);
  return id;
}

// In the page: set the field to each value, dispatch one input event, and take the time of the
// last DOM mutation it caused (Leptos updates the DOM in microtasks after the event; a
// MessageChannel task afterwards marks that they have all run).
async function typeAndTime(page, values) {
  return page.evaluate(async (values) => {
    const input = document.getElementById('customer-adjustment-percent');
    const root = document.querySelector('main');
    const settle = () =>
      new Promise((done) => {
        const channel = new MessageChannel();
        channel.port1.onmessage = () => done();
        channel.port2.postMessage(null);
      });
    const samples = [];
    let unchanged = 0;
    for (const value of values) {
      let last = null;
      const observer = new MutationObserver(() => {
        last = performance.now();
      });
      observer.observe(root, { subtree: true, childList: true, characterData: true, attributes: true });
      input.focus();
      input.value = value;
      const start = performance.now();
      input.dispatchEvent(new InputEvent('input', { bubbles: true, inputType: 'insertText', data: value.slice(-1) }));
      await settle();
      if (observer.takeRecords().length) last = performance.now();
      observer.disconnect();
      if (last === null) {
        unchanged += 1;
        last = performance.now();
      }
      samples.push(last - start);
      // Let the browser paint between keystrokes, as between a person's.
      await new Promise((done) => requestAnimationFrame(() => setTimeout(done, 0)));
    }
    return {
      samples,
      unchanged,
      customerTotal: document.getElementById('customer-total').textContent,
      rows: document.querySelectorAll('section.prices tbody tr').length,
    };
  }, values);
}

// In the page: load decimal.js and the WASM core, check they agree on every value, then time
// each over the same values.
async function compareWithDecimalJs(page, lines, values) {
  return page.evaluate(
    async ({ lines, values }) => {
      const { default: Decimal } = await import('/__bench/decimal.mjs');
      const core = await import('/__bench/offerdesk_bench_core.js');
      await core.default({ module_or_path: '/__bench/offerdesk_bench_core_bg.wasm' });

      // The page's preview in plain JavaScript: the same formulas and rounding as the core (half
      // away from zero; unit prices to cents or, per meter unit, to 8 places; net discount to 8
      // places; the Microsoft agency fee of 3% on the partner total, to cents).
      const D = Decimal.clone({ precision: 60, rounding: Decimal.ROUND_HALF_UP, toExpNeg: -60, toExpPos: 60 });
      const HUNDRED = new D(100);
      const parsed = lines.map((line) => ({
        usage: line.usage === 1,
        places: line.usage === 1 ? 8 : 2,
        list: new D(line.list),
        partner: new D(line.partner),
      }));
      const adjustmentOf = (text) => {
        const trimmed = text.trim();
        if (!/^(\d+\.?\d*|\.\d+)$/.test(trimmed)) return null;
        const value = new D(trimmed);
        return value.decimalPlaces() > 8 ? null : value;
      };
      const jsCompute = (text) => {
        const adjustment = adjustmentOf(text);
        if (adjustment === null) return null;
        const factor = adjustment.div(HUNDRED).plus(1);
        const customer = [];
        const net = [];
        let partnerTotal = new D(0);
        let customerTotal = new D(0);
        for (const line of parsed) {
          const price = line.partner.times(factor).toDecimalPlaces(line.places, D.ROUND_HALF_UP);
          customer.push(price);
          net.push(line.list.minus(price).times(HUNDRED).div(line.list).toDecimalPlaces(8, D.ROUND_HALF_UP));
          if (!line.usage) {
            partnerTotal = partnerTotal.plus(line.partner);
            customerTotal = customerTotal.plus(price);
          }
        }
        const fee = partnerTotal.times(3).div(HUNDRED).toDecimalPlaces(2, D.ROUND_HALF_UP);
        return { customer, net, partnerTotal, customerTotal, isvNet: partnerTotal.minus(fee), partnerNet: customerTotal.minus(partnerTotal) };
      };
      const jsText = (text) => {
        const result = jsCompute(text);
        if (result === null) return null;
        const out = [];
        result.customer.forEach((price, index) => {
          out.push(price.toString());
          out.push(result.net[index].toString());
        });
        out.push(result.partnerTotal.toString(), result.customerTotal.toString(), result.isvNet.toString(), result.partnerNet.toString());
        return out.join('\n');
      };

      const wasm = new core.PreviewLines(
        new Uint8Array(lines.map((line) => line.usage)),
        lines.map((line) => line.list),
        lines.map((line) => line.partner),
      );
      const mismatches = [];
      for (const value of values) {
        const a = wasm.preview_text(value);
        const b = jsText(value);
        if (a !== b) mismatches.push({ value, wasm: a.split('\n').slice(-4), js: b?.split('\n').slice(-4) });
      }

      // performance.now() is coarse (0.1 ms) in a page that is not cross-origin isolated, so
      // each sample is one pass over all the values, divided by their count.
      const pass = (run) => {
        const start = performance.now();
        for (const value of values) run(value);
        return (performance.now() - start) / values.length;
      };
      const rounds = 20;
      const runWasm = (value) => wasm.preview(value);
      const runJs = (value) => jsCompute(value)?.customerTotal.toString();
      // Warm up both (JIT, wasm tier-up), then alternate passes so neither gets a quieter machine.
      pass(runWasm);
      pass(runJs);
      const wasmSamples = [];
      const jsSamples = [];
      for (let round = 0; round < rounds; round += 1) {
        wasmSamples.push(pass(runWasm));
        jsSamples.push(pass(runJs));
      }
      wasm.free();
      const expectedTotal = jsCompute(values[values.length - 1]).customerTotal;
      return { wasmSamples, jsSamples, mismatches, expectedTotal: expectedTotal.toFixed(2), rounds };
    },
    { lines, values },
  );
}

const server = await startServer();
const browser = await launchBrowser();
try {
  const context = await browser.newContext();
  const page = await context.newPage();
  // The benchmark's own files (decimal.js, the WASM core) are served to the page by the test
  // driver, not by Offer Desk.
  await page.route('**/__bench/*', (route) => {
    const name = new URL(route.request().url()).pathname.split('/').pop();
    const path = name === 'decimal.mjs' ? DECIMAL_MJS : join(PKG, name);
    const type = name.endsWith('.wasm') ? 'application/wasm' : 'text/javascript';
    route.fulfill({ status: 200, contentType: type, body: readFileSync(path) });
  });
  await page.goto(`${server.base}/`);
  const id = await prepareOffer(page);

  await signIn(page, 'partner@fabrikam.example');
  const offer = await api(page, 'GET', `/api/v1/multiparty-offers/${id}`);
  const lines = offer.json.offer.prices.map((row) => ({
    usage: row.price_point_id.startsWith('meter:') ? 1 : 0,
    list: row.list_price,
    partner: row.partner_price,
  }));
  await page.goto(`${server.base}/partner/offers/${id}`);
  await page.waitForSelector('#customer-adjustment-percent', { timeout: 30_000 });
  const values = adjustments();
  const typed = await typeAndTime(page, values);
  const compared = await compareWithDecimalJs(page, lines, values);

  const shownTotal = typed.customerTotal.replace(/[^0-9.]/g, '');
  if (shownTotal !== compared.expectedTotal) {
    throw new Error(`the page shows a customer total of ${typed.customerTotal}, decimal.js says ${compared.expectedTotal}`);
  }
  if (compared.mismatches.length) {
    throw new Error(`decimal.js and the core disagree: ${JSON.stringify(compared.mismatches.slice(0, 3))}`);
  }

  const ms = (value) => value.toFixed(3);
  const median = (values) => percentile(values, 50);
  const wasmMedian = median(compared.wasmSamples);
  const jsMedian = median(compared.jsSamples);
  const out = [];
  out.push(`Machine: ${machine(browser)}`);
  out.push(`Command: node bench/live-preview.mjs (server: ${server.binary}, page: dist/)`);
  out.push('');
  out.push(`Offer: ${PRODUCTS} products x ${METERS} meters, ${lines.length} price lines (each plan's monthly flat rate too), discount ${DISCOUNT}%;`);
  out.push(`${typed.rows} rows in the page's price table; the page's customer total after the last event: ${typed.customerTotal}.`);
  out.push('');
  out.push(`| measure (${values.length} input events on "Customer adjustment %") | median ms | p95 ms | max ms |`);
  out.push('| --- | ---: | ---: | ---: |');
  out.push(`| input event to the last DOM update it causes | ${ms(median(typed.samples))} | ${ms(percentile(typed.samples, 95))} | ${ms(Math.max(...typed.samples))} |`);
  out.push('');
  out.push(`Events that changed no DOM node: ${typed.unchanged}.`);
  out.push('');
  out.push(`| one ${lines.length}-line preview computation (mean of a pass over the ${values.length} inputs; ${compared.rounds} passes) | median ms | p95 ms |`);
  out.push('| --- | ---: | ---: |');
  out.push(`| Offer Desk core (Rust, rust_decimal) as WebAssembly | ${ms(wasmMedian)} | ${ms(percentile(compared.wasmSamples, 95))} |`);
  out.push(`| plain JavaScript with decimal.js | ${ms(jsMedian)} | ${ms(percentile(compared.jsSamples, 95))} |`);
  out.push('');
  out.push(`Ratio (decimal.js median / WebAssembly median): ${(jsMedian / wasmMedian).toFixed(2)}x. Both gave identical results (every customer price, net discount, total and payout) for all ${values.length} inputs.`);
  console.log(out.join('\n'));
  await context.close();
} finally {
  await browser.close();
  await server.stop();
}
