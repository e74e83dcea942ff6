-- an LRU cache with a doubly linked list and a map
local LRU = {}
LRU.__index = LRU
function LRU.new(cap)
  local head, tail = {}, {}
  head.next, tail.prev = tail, head
  return setmetatable({cap = cap, map = {}, head = head, tail = tail, size = 0}, LRU)
end
local function unlink(n) n.prev.next, n.next.prev = n.next, n.prev end
function LRU:_front(n) n.next, n.prev = self.head.next, self.head self.head.next.prev = n self.head.next = n end
function LRU:get(k)
  local n = self.map[k]
  if not n then return nil end
  unlink(n) self:_front(n)
  return n.v
end
function LRU:set(k, v)
  local n = self.map[k]
  if n then n.v = v unlink(n) self:_front(n) return end
  if self.size == self.cap then
    local last = self.tail.prev
    unlink(last) self.map[last.k] = nil self.size = self.size - 1
  end
  n = {k = k, v = v}
  self.map[k] = n self:_front(n) self.size = self.size + 1
end
function LRU:keys()
  local out, n = {}, self.head.next
  while n ~= self.tail do out[#out + 1] = n.k n = n.next end
  return table.concat(out, ",")
end
local c = LRU.new(3)
c:set("a", 1) c:set("b", 2) c:set("c", 3)
print(c:keys())
print(c:get("a"), c:keys())
c:set("d", 4)
print(c:keys(), c:get("b"))
c:set("c", 30)
print(c:keys(), c:get("c"))
