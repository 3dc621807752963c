-- POST /api/v1/quote with the SPEC example (2 lines), or with QUOTE_BODY_FILE's JSON.
package.path = package.path .. ";" .. (os.getenv("BENCH_DIR") or "bench") .. "/wrk/?.lua"
require("report")

wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
local file = os.getenv("QUOTE_BODY_FILE")
if file then
  local handle = assert(io.open(file, "r"))
  wrk.body = handle:read("*a")
  handle:close()
else
  wrk.body = [[{"program":"multiparty","currency":"USD","customer_adjustment_percent":"5",
"lines":[{"id":"pro","kind":"flat","list_price":"100.00","quantity":"1","partner_pricing":{"discount_percent":"10"}},
{"id":"api-calls","kind":"usage","list_price":"0.0015","partner_pricing":{"absolute_price":"0.0012"}}]}]]
end
