math.randomseed(2026)
request = function()
  return wrk.format("GET", "/stories/" .. math.random(1, 9999))
end
