-- a backwards goto creates a new local each time, captured separately by closures
local fs = {}
local i = 1
::again::
local x = i * 10
fs[#fs + 1] = function() return x end
i = i + 1
if i <= 3 then goto again end
print(fs[1](), fs[2](), fs[3]())
do
  goto skip
  print("not printed")
  ::skip::
end
print("end")
