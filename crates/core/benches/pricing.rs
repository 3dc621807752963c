//! Criterion benchmarks of the pricing core, natively: what `POST /api/v1/quote` and
//! `POST /api/v1/quote/solve` spend in the core (JSON body in, priced answer out), and the
//! pricing alone once a quote is validated. Run: `cargo bench -p offerdesk-core`.

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use offerdesk_core::percent::PERCENT_PLACES;
use offerdesk_core::pricing;
use offerdesk_core::quote::{quote_json, solve_json, QuoteDraft};
use offerdesk_core::{AdjustmentPercent, Currency, Money, PriceKind};
use serde_json::{json, Value};

/// A multiparty quote of `products` flat plans, each with `meters` usage meters priced by an
/// absolute partner price; every other product is priced by a discount instead.
fn quote_body(products: usize, meters: usize) -> Value {
    let mut lines = Vec::with_capacity(products * (meters + 1));
    for product in 0..products {
        let pricing = if product % 2 == 0 {
            json!({ "discount_percent": "12.5" })
        } else {
            json!({ "absolute_price": format!("{}.40", 80 + product) })
        };
        lines.push(json!({
            "id": format!("p{product}"),
            "kind": "flat",
            "list_price": format!("{}.99", 99 + product),
            "quantity": "3",
            "partner_pricing": pricing,
        }));
        for meter in 0..meters {
            lines.push(json!({
                "id": format!("p{product}-m{meter}"),
                "kind": "usage",
                "list_price": format!("0.00{}5", meter % 9 + 1),
                "partner_pricing": { "discount_percent": "7.25" },
            }));
        }
    }
    json!({
        "program": "multiparty",
        "currency": "USD",
        "customer_adjustment_percent": "4.75",
        "lines": lines,
    })
}

fn quote(c: &mut Criterion) {
    let mut group = c.benchmark_group("quote_json");
    // 2 lines: the SPEC example's size; 210 lines: 10 products x 20 meters plus the 10 plans,
    // the live preview's largest offer; 1,000 lines: the most one quote may price.
    for (products, meters) in [(1, 1), (10, 20), (50, 19)] {
        let body = quote_body(products, meters);
        let lines = products * (meters + 1);
        assert!(quote_json(&body).is_ok(), "the benchmark body must price");
        group.throughput(Throughput::Elements(lines as u64));
        group.bench_with_input(BenchmarkId::from_parameter(lines), &body, |b, body| {
            b.iter(|| quote_json(black_box(body)))
        });
    }
    group.finish();

    // Pricing alone, on an already validated 210-line quote (what a keystroke re-prices).
    let (draft, problems) = QuoteDraft::from_json(&quote_body(10, 20));
    let validated = draft
        .validate_with(problems)
        .expect("the benchmark body is valid");
    c.bench_function("quote_price_validated/210", |b| {
        b.iter(|| black_box(&validated).price())
    });
}

fn solve(c: &mut Criterion) {
    let mut group = c.benchmark_group("solve_json");
    let cases = [
        // Exact: 10.52631579 % lands on 105.00.
        (
            "exact",
            json!({ "partner_price": "95.00", "target_customer_price": "105.00" }),
        ),
        // A usage price at 6 places with no exact adjustment: the nearest is searched.
        (
            "usage_nearest",
            json!({ "program": "cppo", "kind": "usage", "partner_price": "0.000317",
                    "target_customer_price": "0.000349" }),
        ),
    ];
    for (name, body) in cases {
        assert!(solve_json(&body).is_ok(), "the benchmark body must solve");
        group.bench_with_input(BenchmarkId::from_parameter(name), &body, |b, body| {
            b.iter(|| solve_json(black_box(body)))
        });
    }
    group.finish();
}

/// The live preview's lines (bench/live-preview.mjs): 10 flat plans of 20 meters each, as
/// `(kind, list, partner)` with the partner price at a 20% discount.
fn preview_lines() -> Vec<(PriceKind, Money, Money)> {
    let mut lines = Vec::new();
    for plan in 0..10u32 {
        let list = Money::parse(&format!("{}.{:02}", 100 + plan * 17, (plan * 13) % 100), 2)
            .expect("a flat list price");
        lines.push((PriceKind::Flat, list));
        for meter in 0..20u32 {
            let cents = 1 + ((plan * 20 + meter) * 37) % 997;
            let text = format!("0.{cents:04}{}", (plan + meter) % 10);
            lines.push((
                PriceKind::Usage,
                Money::parse(&text, 8).expect("a meter price"),
            ));
        }
    }
    let discount = offerdesk_core::DiscountPercent::parse("20").expect("a discount");
    lines
        .into_iter()
        .map(|(kind, list)| {
            let places = kind.unit_places(Currency::USD);
            let partner = pricing::discounted_price(list, discount, places).expect("a price");
            (kind, list, partner)
        })
        .collect()
}

/// One keystroke of the live preview's arithmetic: every line's customer price and net discount
/// at a typed adjustment, through the per-line functions.
fn preview(c: &mut Criterion) {
    let lines = preview_lines();
    let adjustment = AdjustmentPercent::parse("7.3125", PERCENT_PLACES).expect("an adjustment");
    c.bench_function("preview_lines/210", |b| {
        b.iter(|| {
            for (kind, list, partner) in black_box(&lines) {
                let places = kind.unit_places(Currency::USD);
                let customer = pricing::customer_price(*partner, adjustment, places).ok();
                let net = customer.and_then(|c| pricing::net_discount_percent(*list, c).ok());
                black_box((customer, net));
            }
        })
    });
    // The same, as the page and bench/wasm-core do it: the adjustment's factor once per
    // keystroke, then each line.
    c.bench_function("preview_lines_markup/210", |b| {
        b.iter(|| {
            let markup = pricing::Markup::new(black_box(adjustment)).expect("a factor");
            for (kind, list, partner) in black_box(&lines) {
                let places = kind.unit_places(Currency::USD);
                let customer = markup.customer_price(*partner, places).ok();
                let net = customer.and_then(|c| pricing::net_discount_percent(*list, c).ok());
                black_box((customer, net));
            }
        })
    });
}

criterion_group!(benches, quote, solve, preview);
criterion_main!(benches);
