use leptos::prelude::*;

/// The home page at `/`: what Offer Desk is for, and the way into the calculator.
#[component]
pub fn HomePage() -> impl IntoView {
    view! {
        <h1>"Offer Desk"</h1>
        <p class="lead">
            "Offer Desk is where a software vendor, its channel partners and their customers "
            "work out private offers sold through a partner: who pays what, from list price to "
            "the customer's price, in exact decimals at every step."
        </p>
        <h2>"Three partner programs"</h2>
        <ul class="programs">
            <li>
                <h3>"Microsoft CSP margin offers"</h3>
                <p>
                    "The vendor gives Cloud Solution Provider partners a time-bound margin off "
                    "list price; partners find it and sell at the wholesale price."
                </p>
            </li>
            <li>
                <h3>"Microsoft multiparty private offers"</h3>
                <p>
                    "The vendor sets a partner price for one selling partner and one customer; "
                    "the partner adds a customer adjustment and sends the customer a link to accept."
                </p>
            </li>
            <li>
                <h3>"AWS consulting partner private offers (CPPO)"</h3>
                <p>
                    "The vendor authorizes a partner to resell at a discount off list; the partner "
                    "marks it up into a private offer for one buyer, who accepts it through a link."
                </p>
            </li>
        </ul>
        <p class="call-to-action">
            <a href="/calculator">"Open the price calculator"</a>
        </p>
    }
}
