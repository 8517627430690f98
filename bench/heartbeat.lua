-- wrk script for the wire bench: each request is one phone's next heartbeat (its seq must grow), phones taken
-- in turn from the file the real server wrote ("deviceId token" per line). Run with -t1 so seqs never race.
local phones = {}
local next_phone = 0
local seqs = {}
-- Each wrk run starts its seqs above the previous run's (args[2]), since the server remembers the last one.
local base = 0
-- A path prefix (args[3]) lets one WireMock serve two stubs of the same heartbeat: templated and static.
local prefix = ""

function init(args)
  base = tonumber(args[2] or "0")
  prefix = args[3] or ""
  for line in io.lines(args[1]) do
    local id, token = line:match("^(%S+) (%S+)$")
    if id then phones[#phones + 1] = { id = id, token = token } end
  end
end

function request()
  next_phone = next_phone % #phones + 1
  local phone = phones[next_phone]
  local seq = (seqs[next_phone] or base) + 1
  seqs[next_phone] = seq
  local body = '{"seq":' .. seq .. ',"state":"active","nonce":"n' .. seq .. '-' .. next_phone .. '"}'
  return wrk.format("POST", prefix .. "/v1/devices/" .. phone.id .. "/heartbeat", {
    ["content-type"] = "application/json",
    ["authorization"] = "Bearer " .. phone.token,
  }, body)
end
