-- POST /api/v1/multiparty-offers as the demo ISV (COOKIE): each 201 is a draft stored durably
-- (SQLite, WAL, synchronous=FULL) before the answer is sent.
package.path = package.path .. ";" .. (os.getenv("BENCH_DIR") or "bench") .. "/wrk/?.lua"
require("report")

wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Cookie"] = assert(os.getenv("COOKIE"), "set COOKIE")
wrk.body = [[{"name":"Load test offer","description":"",
"customer":{"billing_account_id":"5e98e158-b2ad-4c8a-9d27-3f0b1c6a7e41:0c5a3f9e-7d21-4b8e-a6f4-92d1e3b5c8a0_2019-05-31","country":"US"},
"selling_partner_seller_id":"10000001",
"products":[{"pricing_type":"existing_plan","offer_id":"contoso-analytics","plan_id":"pro","partner_pricing":{"discount_percent":"10"}}],
"customer_start":{"start":"on_acceptance"},"customer_end":"2099-12-31","accept_by":"2099-12-01",
"terms":[],"notification_contacts":[],"sales_note":"","renewal":false}]]
