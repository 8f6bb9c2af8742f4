-- Bearing wear index of one pump (shared by every pump of the demo plant).
--
-- Inputs: the pump's vibration RMS over the last second (mm/s) and its
-- smoothed bearing temperature (degC). Output: how far the bearing runs above
-- healthy limits, averaged over the last few minutes; 0 for a healthy pump,
-- 1 to 5 for a bearing that is failing.
--
-- The node fires once a second (its trigger is the temperature), not at the
-- vibration's 50 Hz, so the readings arrive at irregular intervals whenever a
-- reading is missing: the average is therefore taken over time, with the
-- previous firing's `ts` and the running index kept in `state`, which the
-- runtime keeps for this node between calls.

local tau_s = 120     -- averaging time constant (s)
local vib_limit = 2.8 -- ISO 10816-3, group 2, rigid foundation: zone B/C (mm/s)
local temp_limit = 60 -- bearing temperature above which grease degrades (degC)

return function(vib, temp)
  local excess = math.max(0, vib - vib_limit)
                 + 0.2 * math.max(0, temp - temp_limit)
  local last = state.ts
  state.ts = ts
  if last == nil then
    state.index = excess
  else
    local k = 1 - math.exp(-((ts - last) / 1e9) / tau_s)
    state.index = state.index + k * (excess - state.index)
  end
  return state.index
end
