-- wrk script of bench/http.py: every request a different line of a file the bench wrote.
--
--   wrk -t2 -c32 -d10s -s bench/rotate.lua http://127.0.0.1:8780 -- requests=FILE threads=2
--
-- FILE has one request a line, tab-separated: method, path, bearer token, JSON body (the
-- last two may be empty). Thread i of n sends lines i+1, i+1+n, i+1+2n… so no two
-- connections send the same line; a thread that reaches the end starts again and the
-- repeats are reported ("reused"). Answers are counted by status. At the end one JSON
-- line is printed: requests, duration, latency percentiles, socket errors, statuses,
-- and the highest line number sent (the next run can start after it).

local threads = {}

function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end

local function argument(args, name)
  for i = 0, #args do
    local value = args[i] and string.match(args[i], "^" .. name .. "=(.*)$")
    if value then return value end
  end
  error("missing argument " .. name .. "=")
end

local function split(line)
  local fields = {}
  for field in string.gmatch(line .. "\t", "([^\t]*)\t") do
    table.insert(fields, field)
  end
  return fields
end

function init(args)
  local count = tonumber(argument(args, "threads"))
  requests, numbers = {}, {}
  counts, sent, highest = {}, 0, 0
  local number = 0
  for line in io.lines(argument(args, "requests")) do
    number = number + 1
    if (number - 1) % count == id then
      local method, path, token, body = unpack(split(line))
      local headers = {}
      if token ~= nil and token ~= "" then headers["Authorization"] = "Bearer " .. token end
      if body ~= nil and body ~= "" then
        headers["Content-Type"] = "application/json"
      else
        body = nil
      end
      table.insert(requests, wrk.format(method, path, headers, body))
      table.insert(numbers, number)
    end
  end
  if #requests == 0 then error("no request for thread " .. id) end
  lines = #requests
end

function request()
  sent = sent + 1
  local index = (sent - 1) % lines + 1
  if numbers[index] > highest then highest = numbers[index] end
  return requests[index]
end

function response(status, headers, body)
  counts[status] = (counts[status] or 0) + 1
end

function done(summary, latency, requests)
  local statuses, reused, last = {}, 0, 0
  for _, thread in ipairs(threads) do
    for status, n in pairs(thread:get("counts")) do
      statuses[status] = (statuses[status] or 0) + n
    end
    reused = reused + math.max(0, thread:get("sent") - thread:get("lines"))
    last = math.max(last, thread:get("highest"))
  end
  local parts = {}
  for status, n in pairs(statuses) do
    table.insert(parts, string.format('"%d": %d', status, n))
  end
  local e = summary.errors
  io.write(string.format(
    '{"requests": %d, "duration_us": %d, "p50_us": %d, "p99_us": %d, "max_us": %d, '
      .. '"errors": {"connect": %d, "read": %d, "write": %d, "timeout": %d}, '
      .. '"statuses": {%s}, "reused": %d, "last_line": %d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    latency.max, e.connect, e.read, e.write, e.timeout, table.concat(parts, ", "), reused, last
  ))
end
