-- a double-ended queue with head/tail indices
local Deque = {}
Deque.__index = Deque
function Deque.new() return setmetatable({head = 0, tail = -1}, Deque) end
function Deque:push_back(v) self.tail = self.tail + 1 self[self.tail] = v end
function Deque:push_front(v) self.head = self.head - 1 self[self.head] = v end
function Deque:pop_front()
  if self.head > self.tail then return nil end
  local v = self[self.head] self[self.head] = nil self.head = self.head + 1 return v
end
function Deque:pop_back()
  if self.head > self.tail then return nil end
  local v = self[self.tail] self[self.tail] = nil self.tail = self.tail - 1 return v
end
function Deque:len() return self.tail - self.head + 1 end
local d = Deque.new()
for i = 1, 5 do d:push_back(i) end
d:push_front(0)
d:push_front(-1)
print(d:len(), d:pop_front(), d:pop_back(), d:pop_front(), d:len())
local out = {}
while d:len() > 0 do out[#out + 1] = d:pop_back() end
print(table.concat(out, " "), d:pop_front())
