math.randomseed(2027)
request = function()
  return wrk.format("GET", "/api/v1/stories/" .. math.random(1, 9999))
end
