-- Rule-based health score of one pump (shared by every pump of the demo
-- plant): 100 = as new, 0 = stop it now. A maintenance planner reads this;
-- the linear `anomaly` model next to it is what alerts.
--
-- Inputs, in `needs` order: the peak 1-s vibration RMS over 10 s (mm/s), the
-- head ratio averaged over 5 s (1 = on the pump curve), the smoothed bearing
-- temperature (degC), its trend (degC/s), the wear index and the wear index's
-- change since the previous second.

return function(vib_peak, head, temp, trend, wear, wear_growth)
  local score = 100
  -- ISO 10816-3 zones C (unsatisfactory) and D (damage occurs).
  if vib_peak > 4.5 then
    score = score - 40
  elseif vib_peak > 2.8 then
    score = score - 20
  end
  -- Pressure well below the pump curve: cavitation or a worn impeller.
  if head < 0.8 then
    score = score - 35
  elseif head < 0.9 then
    score = score - 15
  end
  if temp > 70 then
    score = score - 20
  elseif temp > 60 then
    score = score - 10
  end
  if trend > 0.03 then -- warming faster than 1.8 degC a minute
    score = score - 5
  end
  score = score - math.min(25, 10 * wear)
  if wear_growth > 0.002 then -- the bearing is getting worse right now
    score = score - 5
  end
  -- Debounce: report the best of the last three scores, so that one bad
  -- second does not count; `state` keeps them between calls.
  state.s1, state.s2, state.s3 = state.s2 or score, state.s3 or score, score
  local best = math.max(state.s1, state.s2, state.s3)
  return math.max(0, best)
end
