-- upvalues captured through several nesting levels
local function outer()
  local a = 1
  return function()
    local b = 10
    return function()
      local c = 100
      return function() a = a + 1 b = b + 1 c = c + 1 return a + b + c end
    end
  end
end
local l1 = outer()
local l2 = l1()
local l3 = l2()
print(l3(), l3())
local l3b = l2()
print(l3b(), l3())
