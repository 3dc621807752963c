-- GET the ISV dashboard's list (LIST_PATH, default the first page of multiparty offers) as
-- the demo ISV (COOKIE).
package.path = package.path .. ";" .. (os.getenv("BENCH_DIR") or "bench") .. "/wrk/?.lua"
require("report")

wrk.method = "GET"
wrk.path = os.getenv("LIST_PATH") or "/api/v1/multiparty-offers"
wrk.headers["Cookie"] = assert(os.getenv("COOKIE"), "set COOKIE")
