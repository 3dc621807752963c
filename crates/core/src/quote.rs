//! The quote API contract (SPEC "Quote API"): the request as text, its validation into typed
//! values, and the priced response. The server answers `POST /api/v1/quote` and
//! `POST /api/v1/quote/solve` with these; the page's calculator runs the very same rules.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::error::{FieldError, PricingError, Problems};
use crate::money::{Currency, Money, PriceKind, Quantity};
use crate::percent::{AdjustmentPercent, DiscountPercent, Program};
use crate::pricing::{self, PartnerPricing};

/// Most lines one quote may price.
pub const MAX_LINES: usize = 1_000;

/// Longest line id, in characters.
pub const MAX_LINE_ID_CHARS: usize = 100;

/// A quote request as sent: every leaf still text, nothing checked yet.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuoteDraft {
    /// `multiparty` (default), `csp` or `cppo`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub program: Option<String>,
    /// ISO code; USD by default.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub currency: Option<String>,
    /// The partner's adjustment (markup) %; 0 by default.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub customer_adjustment_percent: Option<String>,
    /// The lines to price.
    #[serde(default)]
    pub lines: Vec<LineDraft>,
}

/// One line of a quote request, as sent.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LineDraft {
    /// The caller's id for the line, unique in the request.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// `flat` (default) or `usage`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// The public list price of one unit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub list_price: Option<String>,
    /// Units; 1 by default.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quantity: Option<String>,
    /// How the ISV prices the line to the partner.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub partner_pricing: Option<PartnerPricingDraft>,
}

/// The partner pricing of a line, as sent: exactly one member must be given.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartnerPricingDraft {
    /// % off list (multiparty, CPPO).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub discount_percent: Option<String>,
    /// % off list (CSP).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub margin_percent: Option<String>,
    /// An absolute partner price.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub absolute_price: Option<String>,
}

/// A request to solve the adjustment that reaches a target customer price, as sent.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SolveDraft {
    /// `multiparty` (default), `cppo`; `csp` has no adjustment to solve.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub program: Option<String>,
    /// ISO code; USD by default.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub currency: Option<String>,
    /// `flat` (default) or `usage`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// The partner price the adjustment applies to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub partner_price: Option<String>,
    /// The customer price wanted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_customer_price: Option<String>,
}

/// A valid quote request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Quote {
    /// The program, which sets the adjustment's places, cap and presence.
    pub program: Program,
    /// The currency of every amount.
    pub currency: Currency,
    /// The adjustment; `None` for a CSP offer, which has none.
    pub customer_adjustment_percent: Option<AdjustmentPercent>,
    /// At least one line.
    pub lines: Vec<QuoteLine>,
}

/// A valid line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuoteLine {
    /// The caller's id.
    pub id: String,
    /// Flat or usage, which sets the unit price's places.
    pub kind: PriceKind,
    /// List price of one unit.
    pub list_price: Money,
    /// Units.
    pub quantity: Quantity,
    /// Discount, margin or absolute price.
    pub partner_pricing: PartnerPricing,
}

/// A valid solve request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Solve {
    /// Multiparty or CPPO.
    pub program: Program,
    /// The currency of both prices.
    pub currency: Currency,
    /// Flat or usage, which sets the prices' places.
    pub kind: PriceKind,
    /// Above zero.
    pub partner_price: Money,
    /// Not below the partner price.
    pub target_customer_price: Money,
}

/// The priced quote (`200` of `POST /api/v1/quote`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuoteResponse {
    /// The currency of every amount.
    pub currency: Currency,
    /// The adjustment applied; `null` for CSP.
    #[serde(with = "crate::money::decimal_text_option")]
    pub customer_adjustment_percent: Option<Decimal>,
    /// The cap: the smallest discount % (multiparty only); `null` when nothing caps.
    #[serde(with = "crate::money::decimal_text_option")]
    pub max_customer_adjustment_percent: Option<Decimal>,
    /// One per request line, in order.
    pub lines: Vec<LineQuote>,
    /// Sums of the rounded line totals.
    pub totals: Totals,
}

/// One priced line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LineQuote {
    /// The caller's id.
    pub id: String,
    /// List price of one unit.
    #[serde(with = "crate::money::decimal_text")]
    pub list_price: Decimal,
    /// Partner (wholesale) price of one unit.
    #[serde(with = "crate::money::decimal_text")]
    pub partner_price: Decimal,
    /// Customer price of one unit; `null` for CSP.
    #[serde(with = "crate::money::decimal_text_option")]
    pub customer_price: Option<Decimal>,
    /// `(list - customer) / list x 100`; `null` for CSP.
    #[serde(with = "crate::money::decimal_text_option")]
    pub net_discount_percent: Option<Decimal>,
    /// Units.
    #[serde(with = "crate::money::decimal_text")]
    pub quantity: Decimal,
    /// Partner price x quantity, rounded to the minor unit.
    #[serde(with = "crate::money::decimal_text")]
    pub partner_total: Decimal,
    /// Customer price x quantity, rounded to the minor unit; `null` for CSP.
    #[serde(with = "crate::money::decimal_text_option")]
    pub customer_total: Option<Decimal>,
}

/// Totals of a quote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Totals {
    /// Sum of list price x quantity, each rounded to the minor unit.
    #[serde(with = "crate::money::decimal_text")]
    pub list: Decimal,
    /// Sum of the partner line totals.
    #[serde(with = "crate::money::decimal_text")]
    pub partner: Decimal,
    /// Sum of the customer line totals; `null` for CSP.
    #[serde(with = "crate::money::decimal_text_option")]
    pub customer: Option<Decimal>,
}

/// The answer of `POST /api/v1/quote/solve`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SolveResponse {
    /// The adjustment found (see [`pricing::solve_adjustment`]).
    #[serde(with = "crate::money::decimal_text")]
    pub customer_adjustment_percent: Decimal,
    /// The customer price it gives.
    #[serde(with = "crate::money::decimal_text")]
    pub customer_price: Decimal,
    /// Whether that price is the target.
    pub exact: bool,
}

// ---------------------------------------------------------------------------------------------
// Reading JSON: every type problem is reported with its path; nothing stops at the first.

/// Reads text leaves out of a JSON object, recording a problem for each leaf of the wrong type.
struct JsonObject<'a> {
    object: &'a Map<String, Value>,
    path: String,
}

impl JsonObject<'_> {
    fn field_path(&self, key: &str) -> String {
        if self.path.is_empty() {
            key.to_owned()
        } else {
            format!("{}.{key}", self.path)
        }
    }

    /// A string leaf: absent and `null` are `None`; any other type is a problem.
    fn text(&self, key: &str, problems: &mut Problems) -> Option<String> {
        match self.object.get(key) {
            None | Some(Value::Null) => None,
            Some(Value::String(text)) => Some(text.clone()),
            Some(Value::Number(_)) => {
                problems.add(
                    self.field_path(key),
                    format!(
                        "{key} must be a string of a decimal, such as \"100.00\": JSON numbers are \
                         refused so that no price passes through floating point."
                    ),
                );
                None
            }
            Some(_) => {
                problems.add(self.field_path(key), format!("{key} must be a string."));
                None
            }
        }
    }
}

fn object_at<'a>(
    value: &'a Value,
    path: String,
    what: &str,
    problems: &mut Problems,
) -> Option<JsonObject<'a>> {
    match value {
        Value::Object(object) => Some(JsonObject { object, path }),
        _ => {
            problems.add(path, format!("{what} must be a JSON object."));
            None
        }
    }
}

impl QuoteDraft {
    /// Reads a JSON body into a draft, recording every leaf of the wrong type.
    pub fn from_json(body: &Value) -> (QuoteDraft, Problems) {
        let mut problems = Problems::new();
        let mut draft = QuoteDraft::default();
        let Some(root) = object_at(body, String::new(), "The request body", &mut problems) else {
            return (draft, problems);
        };
        draft.program = root.text("program", &mut problems);
        draft.currency = root.text("currency", &mut problems);
        draft.customer_adjustment_percent = root.text("customer_adjustment_percent", &mut problems);
        match root.object.get("lines") {
            None | Some(Value::Null) => {}
            Some(Value::Array(lines)) if lines.len() > MAX_LINES => {
                // Reading lines past the limit would only multiply problems nobody can fix one
                // by one: the count is the one problem worth reporting.
                problems.add("lines", too_many_lines(lines.len()));
            }
            Some(Value::Array(lines)) => {
                draft.lines = lines
                    .iter()
                    .enumerate()
                    .map(|(index, line)| LineDraft::from_json(line, index, &mut problems))
                    .collect();
            }
            Some(_) => problems.add("lines", "lines must be an array of line objects."),
        }
        (draft, problems)
    }
}

impl LineDraft {
    fn from_json(value: &Value, index: usize, problems: &mut Problems) -> LineDraft {
        let path = format!("lines[{index}]");
        // A line that is not an object keeps its place; validation skips it by its problem.
        let Some(line) = object_at(value, path.clone(), "Each line", problems) else {
            return LineDraft::default();
        };
        let partner_pricing = match line.object.get("partner_pricing") {
            None | Some(Value::Null) => None,
            Some(value) => object_at(
                value,
                format!("{path}.partner_pricing"),
                "partner_pricing",
                problems,
            )
            .map(|pricing| PartnerPricingDraft {
                discount_percent: pricing.text("discount_percent", problems),
                margin_percent: pricing.text("margin_percent", problems),
                absolute_price: pricing.text("absolute_price", problems),
            }),
        };
        LineDraft {
            id: line.text("id", problems),
            kind: line.text("kind", problems),
            list_price: line.text("list_price", problems),
            quantity: line.text("quantity", problems),
            partner_pricing,
        }
    }
}

impl SolveDraft {
    /// Reads a JSON body into a draft, recording every leaf of the wrong type.
    pub fn from_json(body: &Value) -> (SolveDraft, Problems) {
        let mut problems = Problems::new();
        let Some(root) = object_at(body, String::new(), "The request body", &mut problems) else {
            return (SolveDraft::default(), problems);
        };
        let draft = SolveDraft {
            program: root.text("program", &mut problems),
            currency: root.text("currency", &mut problems),
            kind: root.text("kind", &mut problems),
            partner_price: root.text("partner_price", &mut problems),
            target_customer_price: root.text("target_customer_price", &mut problems),
        };
        (draft, problems)
    }
}

// ---------------------------------------------------------------------------------------------
// Validation: text to typed values, every problem at once.

fn read_program(text: Option<&str>, problems: &mut Problems) -> Program {
    match text.map(str::parse::<Program>) {
        None => Program::default(),
        Some(Ok(program)) => program,
        Some(Err(message)) => {
            problems.add("program", message);
            Program::default()
        }
    }
}

fn read_currency(text: Option<&str>, problems: &mut Problems) -> Currency {
    match text.map(str::parse::<Currency>) {
        None => Currency::default(),
        Some(Ok(currency)) => currency,
        Some(Err(message)) => {
            problems.add("currency", message);
            Currency::default()
        }
    }
}

fn read_kind(field: &str, text: Option<&str>, problems: &mut Problems) -> PriceKind {
    match text.map(str::parse::<PriceKind>) {
        None => PriceKind::default(),
        Some(Ok(kind)) => kind,
        Some(Err(message)) => {
            problems.add(field, message);
            PriceKind::default()
        }
    }
}

fn required<'a>(
    field: &str,
    label: &str,
    text: Option<&'a str>,
    problems: &mut Problems,
) -> Option<&'a str> {
    match text {
        Some(text) => Some(text),
        None => {
            if !problems.has(field) {
                problems.add(field, format!("{label} is required."));
            }
            None
        }
    }
}

impl QuoteDraft {
    /// Checks every rule of the quote contract and returns the typed quote, or every problem.
    pub fn validate(&self) -> Result<Quote, Vec<FieldError>> {
        self.validate_with(Problems::new())
    }

    /// As [`QuoteDraft::validate`], adding to problems already found (such as type problems
    /// from [`QuoteDraft::from_json`]); a field never gets a second problem.
    pub fn validate_with(&self, mut problems: Problems) -> Result<Quote, Vec<FieldError>> {
        let program = read_program(self.program.as_deref(), &mut problems);
        let currency = read_currency(self.currency.as_deref(), &mut problems);
        let adjustment = self.read_adjustment(program, &mut problems);

        if self.lines.is_empty() && !problems.has("lines") && !problems.has("") {
            problems.add("lines", "Add at least one line to price.");
        }
        if self.lines.len() > MAX_LINES {
            problems.add("lines", too_many_lines(self.lines.len()));
            return Err(problems.into_vec());
        }
        let mut seen_ids = std::collections::HashSet::new();
        let lines: Vec<Option<QuoteLine>> = self
            .lines
            .iter()
            .enumerate()
            .map(|(index, line)| {
                line.validate(index, program, currency, &mut seen_ids, &mut problems)
            })
            .collect();

        let lines: Option<Vec<QuoteLine>> = lines.into_iter().collect();
        if let (Some(lines), Some(adjustment)) = (&lines, adjustment) {
            if program.caps_adjustment() {
                check_cap(adjustment, lines, &mut problems);
            }
        }
        match (lines, problems.is_empty()) {
            (Some(lines), true) => Ok(Quote {
                program,
                currency,
                customer_adjustment_percent: program.adjustment_places().and(adjustment),
                lines,
            }),
            _ => Err(problems.into_vec()),
        }
    }

    fn read_adjustment(
        &self,
        program: Program,
        problems: &mut Problems,
    ) -> Option<AdjustmentPercent> {
        const FIELD: &str = "customer_adjustment_percent";
        let label = program.adjustment_label();
        let Some(text) = self.customer_adjustment_percent.as_deref() else {
            return (!problems.has(FIELD)).then_some(AdjustmentPercent::ZERO);
        };
        match program.adjustment_places() {
            Some(places) => problems.check(FIELD, label, AdjustmentPercent::parse(text, places)),
            None => {
                let zero = crate::money::parse_decimal(text).is_ok_and(|value| value.is_zero());
                if !zero {
                    problems.add(
                        FIELD,
                        "CSP margin offers have no customer adjustment: the CSP partner sets its \
                         customer price outside the marketplace.",
                    );
                }
                zero.then_some(AdjustmentPercent::ZERO)
            }
        }
    }
}

fn too_many_lines(count: usize) -> String {
    format!("A quote may have at most {MAX_LINES} lines; this one has {count}.")
}

fn check_cap(adjustment: AdjustmentPercent, lines: &[QuoteLine], problems: &mut Problems) {
    let cap = pricing::adjustment_cap(lines.iter().map(|line| line.partner_pricing));
    if let Some(cap) = cap {
        if adjustment.value() > cap {
            problems.add(
                "customer_adjustment_percent",
                format!(
                    "Customer adjustment % may not exceed {cap}%, the smallest discount the ISV \
                     gave. To go higher, ask the ISV for an absolute partner price."
                ),
            );
        }
    }
}

impl LineDraft {
    fn validate(
        &self,
        index: usize,
        program: Program,
        currency: Currency,
        seen_ids: &mut std::collections::HashSet<String>,
        problems: &mut Problems,
    ) -> Option<QuoteLine> {
        let path = format!("lines[{index}]");
        if problems.has(&path) {
            return None;
        }
        let field = |name: &str| format!("{path}.{name}");

        let id = match required(&field("id"), "Line id", self.id.as_deref(), problems) {
            Some(id) if id.trim().is_empty() => {
                problems.add(field("id"), "Line id may not be blank.");
                None
            }
            Some(id) if id.chars().count() > MAX_LINE_ID_CHARS => {
                problems.add(
                    field("id"),
                    format!("Line id may have at most {MAX_LINE_ID_CHARS} characters."),
                );
                None
            }
            Some(id) if !seen_ids.insert(id.to_owned()) => {
                problems.add(
                    field("id"),
                    format!("Line id \"{id}\" is used by an earlier line; each id must be unique."),
                );
                None
            }
            other => other,
        };
        let kind = read_kind(&field("kind"), self.kind.as_deref(), problems);
        let places = kind.unit_places(currency);
        let list_price = required(
            &field("list_price"),
            "List price",
            self.list_price.as_deref(),
            problems,
        )
        .and_then(|text| {
            problems.check(
                &field("list_price"),
                "List price",
                Money::parse_positive(text, places),
            )
        });
        let quantity = match self.quantity.as_deref() {
            None => (!problems.has(&field("quantity"))).then_some(Quantity::ONE),
            Some(text) => problems.check(&field("quantity"), "Quantity", Quantity::parse(text)),
        };
        let partner_pricing =
            self.read_partner_pricing(&field("partner_pricing"), program, places, problems);

        Some(QuoteLine {
            id: id?.to_owned(),
            kind,
            list_price: list_price?,
            quantity: quantity?,
            partner_pricing: partner_pricing?,
        })
    }

    fn read_partner_pricing(
        &self,
        path: &str,
        program: Program,
        places: u32,
        problems: &mut Problems,
    ) -> Option<PartnerPricing> {
        if problems.has(path) {
            return None;
        }
        let Some(pricing) = &self.partner_pricing else {
            problems.add(path, exactly_one_message(program));
            return None;
        };
        let given = [
            pricing.discount_percent.is_some(),
            pricing.margin_percent.is_some(),
            pricing.absolute_price.is_some(),
        ];
        let has_type_problem = ["discount_percent", "margin_percent", "absolute_price"]
            .iter()
            .any(|key| problems.has(&format!("{path}.{key}")));
        if given.iter().filter(|given| **given).count() != 1 {
            if !has_type_problem {
                problems.add(path, exactly_one_message(program));
            }
            return None;
        }
        if let Some(text) = &pricing.discount_percent {
            let field = format!("{path}.discount_percent");
            if program == Program::Csp {
                problems.add(
                    field,
                    "CSP margin offers are priced with margin_percent, not discount_percent.",
                );
                return None;
            }
            return problems
                .check(&field, "Discount %", DiscountPercent::parse(text))
                .map(PartnerPricing::Discount);
        }
        if let Some(text) = &pricing.margin_percent {
            let field = format!("{path}.margin_percent");
            if program != Program::Csp {
                problems.add(field, "Margin % belongs to CSP margin offers; multiparty and CPPO offers use discount_percent.");
                return None;
            }
            return problems
                .check(&field, "Margin %", DiscountPercent::parse(text))
                .map(PartnerPricing::Discount);
        }
        let text = pricing.absolute_price.as_deref()?;
        problems
            .check(
                &format!("{path}.absolute_price"),
                "Absolute partner price",
                Money::parse(text, places),
            )
            .map(PartnerPricing::Absolute)
    }
}

fn exactly_one_message(program: Program) -> String {
    let percent = if program == Program::Csp {
        "margin_percent"
    } else {
        "discount_percent"
    };
    format!("Give exactly one partner price: {percent} or absolute_price.")
}

impl SolveDraft {
    /// Checks the solve request and returns it typed, or every problem.
    pub fn validate(&self) -> Result<Solve, Vec<FieldError>> {
        self.validate_with(Problems::new())
    }

    /// As [`SolveDraft::validate`], adding to problems already found.
    pub fn validate_with(&self, mut problems: Problems) -> Result<Solve, Vec<FieldError>> {
        let program = read_program(self.program.as_deref(), &mut problems);
        if program == Program::Csp && !problems.has("program") {
            problems.add(
                "program",
                "CSP margin offers have no customer adjustment to solve.",
            );
        }
        let currency = read_currency(self.currency.as_deref(), &mut problems);
        let kind = read_kind("kind", self.kind.as_deref(), &mut problems);
        let places = kind.unit_places(currency);
        let partner = required(
            "partner_price",
            "Partner price",
            self.partner_price.as_deref(),
            &mut problems,
        )
        .and_then(|text| {
            problems.check(
                "partner_price",
                "Partner price",
                Money::parse_positive(text, places),
            )
        });
        let target = required(
            "target_customer_price",
            "Target customer price",
            self.target_customer_price.as_deref(),
            &mut problems,
        )
        .and_then(|text| {
            problems.check(
                "target_customer_price",
                "Target customer price",
                Money::parse(text, places),
            )
        });
        if let (Some(partner), Some(target)) = (partner, target) {
            if target < partner {
                problems.add(
                    "target_customer_price",
                    format!(
                        "Target customer price may not be below the partner price ({}): the \
                         adjustment is never negative.",
                        partner.display(currency)
                    ),
                );
            }
        }
        match (partner, target, problems.is_empty()) {
            (Some(partner_price), Some(target_customer_price), true) => Ok(Solve {
                program,
                currency,
                kind,
                partner_price,
                target_customer_price,
            }),
            _ => Err(problems.into_vec()),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Pricing.

fn overflow(field: String, what: &str) -> impl FnOnce(PricingError) -> Vec<FieldError> + '_ {
    move |_| {
        vec![FieldError::new(
            field,
            format!("{what} is too large to price exactly."),
        )]
    }
}

impl Quote {
    /// Prices every line and the totals; an amount too large to hold exactly is a problem on
    /// the line that caused it.
    pub fn price(&self) -> Result<QuoteResponse, Vec<FieldError>> {
        let currency = self.currency;
        let minor = currency.minor_units();
        let mut lines = Vec::with_capacity(self.lines.len());
        let (mut list_total, mut partner_total) = (Money::ZERO, Money::ZERO);
        let mut customer_total = self.customer_adjustment_percent.map(|_| Money::ZERO);
        // The adjustment's factor once for every line; an error in it belongs to the first line
        // priced with it, as when each line computed it.
        let markup = self.customer_adjustment_percent.map(pricing::Markup::new);
        for (index, line) in self.lines.iter().enumerate() {
            let priced = line
                .price(currency, markup.clone())
                .map_err(overflow(format!("lines[{index}]"), "This line"))?;
            let add = |total: Money, amount: Money| {
                total
                    .checked_add(amount)
                    .map_err(overflow("lines".into(), "The total"))
            };
            list_total = add(list_total, priced.list_total)?;
            partner_total = add(partner_total, priced.partner_total)?;
            if let (Some(total), Some(amount)) = (customer_total, priced.customer_total) {
                customer_total = Some(add(total, amount)?);
            }
            lines.push(priced.quote);
        }
        let cap = if self.program.caps_adjustment() {
            pricing::adjustment_cap(self.lines.iter().map(|line| line.partner_pricing))
        } else {
            None
        };
        Ok(QuoteResponse {
            currency,
            customer_adjustment_percent: self.customer_adjustment_percent.map(|a| a.value()),
            max_customer_adjustment_percent: cap,
            lines,
            totals: Totals {
                list: list_total.padded(minor),
                partner: partner_total.padded(minor),
                customer: customer_total.map(|total| total.padded(minor)),
            },
        })
    }
}

struct PricedLine {
    quote: LineQuote,
    list_total: Money,
    partner_total: Money,
    customer_total: Option<Money>,
}

impl QuoteLine {
    fn price(
        &self,
        currency: Currency,
        markup: Option<Result<pricing::Markup, PricingError>>,
    ) -> Result<PricedLine, PricingError> {
        let places = self.kind.unit_places(currency);
        let minor = currency.minor_units();
        let partner = pricing::partner_price(self.list_price, self.partner_pricing, places)?;
        let customer = markup
            .map(|markup| markup.and_then(|markup| markup.customer_price(partner, places)))
            .transpose()?;
        let net = customer
            .map(|customer| pricing::net_discount_percent(self.list_price, customer))
            .transpose()?;
        let list_total = pricing::line_total(self.list_price, self.quantity, currency)?;
        let partner_total = pricing::line_total(partner, self.quantity, currency)?;
        let customer_total = customer
            .map(|customer| pricing::line_total(customer, self.quantity, currency))
            .transpose()?;
        Ok(PricedLine {
            quote: LineQuote {
                id: self.id.clone(),
                list_price: self.list_price.padded(minor),
                partner_price: partner.padded(minor),
                customer_price: customer.map(|price| price.padded(minor)),
                net_discount_percent: net.map(|net| net.normalize()),
                quantity: self.quantity.value(),
                partner_total: partner_total.padded(minor),
                customer_total: customer_total.map(|total| total.padded(minor)),
            },
            list_total,
            partner_total,
            customer_total,
        })
    }
}

impl Solve {
    /// Solves for the adjustment (SPEC "Pricing core", solve).
    pub fn solve(&self) -> Result<SolveResponse, Vec<FieldError>> {
        let places = self.kind.unit_places(self.currency);
        let percent_places = self.program.adjustment_places().unwrap_or(0);
        let solution = pricing::solve_adjustment(
            self.partner_price,
            self.target_customer_price,
            places,
            percent_places,
        )
        .map_err(overflow(
            "target_customer_price".into(),
            "Target customer price",
        ))?;
        Ok(SolveResponse {
            customer_adjustment_percent: solution.adjustment.value(),
            customer_price: solution.customer_price.padded(self.currency.minor_units()),
            exact: solution.exact,
        })
    }
}

/// Validates and prices a JSON quote body: what `POST /api/v1/quote` answers.
pub fn quote_json(body: &Value) -> Result<QuoteResponse, Vec<FieldError>> {
    let (draft, problems) = QuoteDraft::from_json(body);
    draft.validate_with(problems)?.price()
}

/// Validates and solves a JSON solve body: what `POST /api/v1/quote/solve` answers.
pub fn solve_json(body: &Value) -> Result<SolveResponse, Vec<FieldError>> {
    let (draft, problems) = SolveDraft::from_json(body);
    draft.validate_with(problems)?.solve()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use std::str::FromStr;

    fn d(text: &str) -> Decimal {
        Decimal::from_str(text).unwrap()
    }

    fn fields(errors: &[FieldError]) -> Vec<&str> {
        errors.iter().map(|error| error.field.as_str()).collect()
    }

    #[test]
    fn the_spec_example_prices_as_documented() {
        let body = json!({ "program": "multiparty", "currency": "USD",
            "customer_adjustment_percent": "5",
            "lines": [ { "id": "pro", "kind": "flat", "list_price": "100.00", "quantity": "1",
                         "partner_pricing": { "discount_percent": "10" } },
                       { "id": "api-calls", "kind": "usage", "list_price": "0.0015",
                         "partner_pricing": { "absolute_price": "0.0012" } } ] });
        let response = quote_json(&body).unwrap();
        assert_eq!(response.max_customer_adjustment_percent, Some(d("10")));
        let pro = &response.lines[0];
        assert_eq!(pro.partner_price.to_string(), "90.00");
        assert_eq!(pro.customer_price.unwrap().to_string(), "94.50");
        assert_eq!(pro.net_discount_percent, Some(d("5.5")));
        let calls = &response.lines[1];
        assert_eq!(calls.partner_price.to_string(), "0.0012");
        assert_eq!(calls.customer_price.unwrap().to_string(), "0.00126");
        assert_eq!(calls.net_discount_percent, Some(d("16")));
        assert_eq!(calls.partner_total.to_string(), "0.00");
        assert_eq!(response.totals.list.to_string(), "100.00");
        assert_eq!(response.totals.partner.to_string(), "90.00");
        assert_eq!(response.totals.customer.unwrap().to_string(), "94.50");
    }

    #[test]
    fn csp_quotes_have_no_customer_side() {
        let body = json!({ "program": "csp", "lines": [ { "id": "a", "list_price": "200",
            "quantity": "3", "partner_pricing": { "margin_percent": "20" } } ] });
        let response = quote_json(&body).unwrap();
        assert_eq!(response.customer_adjustment_percent, None);
        assert_eq!(response.max_customer_adjustment_percent, None);
        assert_eq!(response.lines[0].partner_price, d("160"));
        assert_eq!(response.lines[0].partner_total, d("480"));
        assert_eq!(response.lines[0].customer_price, None);
        assert_eq!(response.totals.customer, None);
        let json = serde_json::to_value(&response).unwrap();
        assert_eq!(json["lines"][0]["customer_price"], Value::Null);
        assert_eq!(json["lines"][0]["partner_price"], json!("160.00"));
    }

    #[test]
    fn cppo_markups_take_nine_places_and_no_cap() {
        let body = json!({ "program": "cppo", "customer_adjustment_percent": "25.123456789",
            "lines": [ { "id": "a", "list_price": "100", "partner_pricing": { "discount_percent": "10" } } ] });
        let response = quote_json(&body).unwrap();
        assert_eq!(response.max_customer_adjustment_percent, None);
        assert_eq!(response.lines[0].customer_price, Some(d("112.61"))); // 90 x 1.25123456789
    }

    #[test]
    fn every_problem_is_reported_with_its_path() {
        let body = json!({ "program": "nope", "currency": "XYZ",
            "customer_adjustment_percent": 5,
            "lines": [ { "id": "a", "list_price": "0", "quantity": "-1",
                         "partner_pricing": { "discount_percent": "100" } },
                       { "id": "a", "kind": "hourly", "list_price": 10,
                         "partner_pricing": { "discount_percent": "5", "absolute_price": "1" } },
                       { "list_price": "1.001", "partner_pricing": {} },
                       "not a line" ] });
        let errors = quote_json(&body).unwrap_err();
        assert_eq!(
            fields(&errors),
            [
                "customer_adjustment_percent",
                "lines[1].list_price",
                "lines[3]",
                "program",
                "currency",
                "lines[0].list_price",
                "lines[0].quantity",
                "lines[0].partner_pricing.discount_percent",
                "lines[1].id",
                "lines[1].kind",
                "lines[1].partner_pricing",
                "lines[2].id",
                "lines[2].list_price",
                "lines[2].partner_pricing",
            ]
        );
        assert!(errors[0].message.contains("JSON numbers are refused"));
    }

    #[test]
    fn partner_pricing_needs_exactly_one_member_of_its_program() {
        let line = |pricing: Value| json!({ "lines": [ { "id": "a", "list_price": "10", "partner_pricing": pricing } ] });
        let cases = [
            (
                json!({ "program": "csp" }),
                json!({ "discount_percent": "5" }),
                "lines[0].partner_pricing.discount_percent",
            ),
            (
                json!({}),
                json!({ "margin_percent": "5" }),
                "lines[0].partner_pricing.margin_percent",
            ),
            (json!({}), json!({}), "lines[0].partner_pricing"),
            (
                json!({}),
                json!({ "discount_percent": "5", "margin_percent": "5" }),
                "lines[0].partner_pricing",
            ),
            (json!({}), json!("5"), "lines[0].partner_pricing"),
        ];
        for (program, pricing, field) in cases {
            let mut body = line(pricing.clone());
            if let Some(name) = program.get("program") {
                body["program"] = name.clone();
            }
            let errors = quote_json(&body).unwrap_err();
            assert_eq!(fields(&errors), [field], "{program} {pricing}");
        }
        let mut body = line(json!(null));
        body["lines"][0]
            .as_object_mut()
            .unwrap()
            .remove("partner_pricing");
        assert_eq!(
            fields(&quote_json(&body).unwrap_err()),
            ["lines[0].partner_pricing"]
        );
    }

    #[test]
    fn the_adjustment_is_capped_by_the_smallest_discount() {
        let body = |adjustment: &str| {
            json!({ "customer_adjustment_percent": adjustment,
            "lines": [ { "id": "a", "list_price": "10", "partner_pricing": { "discount_percent": "12" } },
                       { "id": "b", "list_price": "10", "partner_pricing": { "discount_percent": "7.5" } },
                       { "id": "c", "list_price": "10", "partner_pricing": { "absolute_price": "1" } } ] })
        };
        assert!(quote_json(&body("7.5")).is_ok());
        let errors = quote_json(&body("7.50000001")).unwrap_err();
        assert_eq!(fields(&errors), ["customer_adjustment_percent"]);
        assert!(errors[0].message.contains("7.5%"), "{}", errors[0].message);
        assert_eq!(
            fields(&quote_json(&body("1.123456789")).unwrap_err()),
            ["customer_adjustment_percent"]
        );
        assert_eq!(
            fields(&quote_json(&body("-1")).unwrap_err()),
            ["customer_adjustment_percent"]
        );
    }

    #[test]
    fn csp_refuses_an_adjustment_but_takes_zero() {
        let body = |adjustment: &str| {
            json!({ "program": "csp", "customer_adjustment_percent": adjustment,
            "lines": [ { "id": "a", "list_price": "10", "partner_pricing": { "margin_percent": "12" } } ] })
        };
        assert!(quote_json(&body("0")).is_ok());
        assert_eq!(
            fields(&quote_json(&body("1")).unwrap_err()),
            ["customer_adjustment_percent"]
        );
    }

    #[test]
    fn line_count_limits() {
        let line = |index: usize| json!({ "id": index.to_string(), "list_price": "1", "partner_pricing": { "absolute_price": "1" } });
        let body = |count: usize| json!({ "lines": (0..count).map(line).collect::<Vec<_>>() });
        assert_eq!(fields(&quote_json(&body(0)).unwrap_err()), ["lines"]);
        assert!(quote_json(&body(1)).is_ok());
        assert!(quote_json(&body(MAX_LINES)).is_ok());
        assert_eq!(
            fields(&quote_json(&body(MAX_LINES + 1)).unwrap_err()),
            ["lines"]
        );
        // Past the limit, the lines themselves are not read: one problem, found at once.
        let empty = json!({ "lines": vec![json!({}); 300_000] });
        assert_eq!(fields(&quote_json(&empty).unwrap_err()), ["lines"]);
        let draft = QuoteDraft {
            lines: vec![LineDraft::default(); MAX_LINES + 1],
            ..QuoteDraft::default()
        };
        assert_eq!(fields(&draft.validate().unwrap_err()), ["lines"]);
        assert_eq!(fields(&quote_json(&json!({})).unwrap_err()), ["lines"]);
        assert_eq!(fields(&quote_json(&json!([])).unwrap_err()), [""]);
        assert_eq!(
            fields(&quote_json(&json!({ "lines": {} })).unwrap_err()),
            ["lines"]
        );
    }

    #[test]
    fn amounts_with_too_many_places_are_refused_not_rounded() {
        let body = |currency: &str, kind: &str, price: &str| {
            json!({ "currency": currency,
            "lines": [ { "id": "a", "kind": kind, "list_price": price, "partner_pricing": { "discount_percent": "10" } } ] })
        };
        assert!(quote_json(&body("USD", "flat", "10.01")).is_ok());
        assert_eq!(
            fields(&quote_json(&body("USD", "flat", "10.001")).unwrap_err()),
            ["lines[0].list_price"]
        );
        assert!(quote_json(&body("USD", "usage", "0.00000001")).is_ok());
        assert_eq!(
            fields(&quote_json(&body("USD", "usage", "0.000000001")).unwrap_err()),
            ["lines[0].list_price"]
        );
        assert_eq!(
            fields(&quote_json(&body("JPY", "flat", "10.5")).unwrap_err()),
            ["lines[0].list_price"]
        );
        let response = quote_json(&body("JPY", "flat", "1005")).unwrap();
        assert_eq!(response.lines[0].partner_price.to_string(), "905"); // 904.5 away from zero
    }

    #[test]
    fn an_overflow_is_a_problem_on_its_line() {
        let body = json!({ "lines": [ { "id": "a", "list_price": "792281625142643375935439503350",
            "quantity": "2", "partner_pricing": { "absolute_price": "1" } } ] });
        assert_eq!(
            fields(&quote_json(&body).unwrap_err()),
            ["lines[0].list_price"]
        );
        let body = json!({ "lines": [ { "id": "a", "list_price": "79228162514264337593543950",
            "quantity": "2000", "partner_pricing": { "absolute_price": "1" } } ] });
        assert_eq!(fields(&quote_json(&body).unwrap_err()), ["lines[0]"]);
    }

    #[test]
    fn solve_follows_the_seed_and_refuses_bad_input() {
        let answer =
            solve_json(&json!({ "partner_price": "95.00", "target_customer_price": "105.00" }))
                .unwrap();
        assert_eq!(answer.customer_adjustment_percent, d("10.52631579"));
        assert_eq!(answer.customer_price.to_string(), "105.00");
        assert!(answer.exact);
        let answer = solve_json(
            &json!({ "program": "cppo", "partner_price": "95", "target_customer_price": "105" }),
        )
        .unwrap();
        assert_eq!(answer.customer_adjustment_percent, d("10.526315789"));
        let cases = [
            (
                json!({ "partner_price": "0", "target_customer_price": "1" }),
                vec!["partner_price"],
            ),
            (
                json!({ "partner_price": "10", "target_customer_price": "9.99" }),
                vec!["target_customer_price"],
            ),
            (
                json!({ "partner_price": "10" }),
                vec!["target_customer_price"],
            ),
            (
                json!({ "program": "csp", "partner_price": "10", "target_customer_price": "11" }),
                vec!["program"],
            ),
            (
                json!({ "partner_price": 10, "target_customer_price": "11.001" }),
                vec!["partner_price", "target_customer_price"],
            ),
        ];
        for (body, expected) in cases {
            assert_eq!(fields(&solve_json(&body).unwrap_err()), expected, "{body}");
        }
    }
}
