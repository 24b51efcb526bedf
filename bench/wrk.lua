-- wrk script for the pingan benchmarks: the same requests loadgen sends.
-- wrk only measures the peak rate here; its latencies hide slow answers
-- (coordinated omission) and are not reported.
--
-- Environment:
--   WRK_METHOD   GET (default), POST, PUT ...
--   WRK_PATHS    file of URL paths, one per line; requests rotate over them
--   WRK_BODIES   optional file of bodies, one per line; requests rotate over them
--   WRK_HEADERS  optional file of "Name: value" lines
--   WRK_SEQ_BASE number added to each request's {{seq}}
-- {{seq}} in a path, header or body becomes a number unique to the request,
-- so created records and Idempotency-Keys differ.

local threads = {}

function setup(thread)
   table.insert(threads, thread)
   thread:set("tid", #threads)
end

local function lines(file)
   local out = {}
   if file and #file > 0 then
      for line in io.lines(file) do
         if #line > 0 then out[#out + 1] = line end
      end
   end
   return out
end

function init(args)
   method = os.getenv("WRK_METHOD") or "GET"
   paths = lines(os.getenv("WRK_PATHS"))
   if #paths == 0 then paths = { "/" } end
   bodies = lines(os.getenv("WRK_BODIES"))
   headers = {}
   for _, line in ipairs(lines(os.getenv("WRK_HEADERS"))) do
      local k, v = line:match("^([^:]+):%s*(.*)$")
      if k then headers[k] = v end
   end
   base = tonumber(os.getenv("WRK_SEQ_BASE") or "0") or 0
   counter = 0
end

local function subst(s, seq)
   return (s:gsub("{{seq}}", seq))
end

function request()
   counter = counter + 1
   local seq = string.format("%.0f", base + (tid or 0) * 1e9 + counter)
   local h = {}
   for k, v in pairs(headers) do h[k] = subst(v, seq) end
   local body = nil
   if #bodies > 0 then body = subst(bodies[(counter % #bodies) + 1], seq) end
   return wrk.format(method, subst(paths[(counter % #paths) + 1], seq), h, body)
end
